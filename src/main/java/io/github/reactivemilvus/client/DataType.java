package io.github.reactivemilvus.client;

/**
 * The type of a collection field, as Milvus 2.6 defines them (the constant names are those of the
 * Milvus protocol and of the Java SDK). {@link #Unknown} stands for a type code this client does not
 * know (a newer server's): such a field is described, not written.
 */
public enum DataType {
  /** No type: the element type of a field that is not an array. */
  None(0),
  /** Boolean. */
  Bool(1),
  /** 8-bit integer. */
  Int8(2),
  /** 16-bit integer. */
  Int16(3),
  /** 32-bit integer. */
  Int32(4),
  /** 64-bit integer; a primary key type. */
  Int64(5),
  /** 32-bit float. */
  Float(10),
  /** 64-bit float. */
  Double(11),
  /** Unbounded string (not usable in collections; VarChar is). */
  String(20),
  /** String of bounded UTF-8 length; a primary key type. */
  VarChar(21),
  /** Array of one scalar element type. */
  Array(22),
  /** JSON value. */
  JSON(23),
  /** Geometry (WKT text). */
  Geometry(24),
  /** Text (unbounded string for analyzers). */
  Text(25),
  /** Timestamp with time zone. */
  Timestamptz(26),
  /** Binary vector (dim bits). */
  BinaryVector(100),
  /** 32-bit float vector. */
  FloatVector(101),
  /** IEEE half-precision vector. */
  Float16Vector(102),
  /** bfloat16 vector. */
  BFloat16Vector(103),
  /** Sparse float vector (index to value). */
  SparseFloatVector(104),
  /** 8-bit integer vector. */
  Int8Vector(105),
  /** Array of vectors (a sub-field of an array of structs). */
  ArrayOfVector(106),
  /** Array of structs. */
  ArrayOfStruct(200),
  /** Struct (the element of an array of structs). */
  Struct(201),
  /** A type code this client does not know. */
  Unknown(-1);

  private final int code;

  DataType(int code) {
    this.code = code;
  }

  /** The protocol's number for this type; -1 for {@link #Unknown}. */
  public int code() {
    return code;
  }

  /** Whether this is a vector type (dense, sparse, binary, half-precision, int8 or array of vectors). */
  public boolean isVector() {
    return code >= 100 && code < 200;
  }

  /** The type of protocol number {@code code}; {@link #Unknown} when the client does not know it. */
  public static DataType fromCode(int code) {
    for (DataType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return Unknown;
  }
}
