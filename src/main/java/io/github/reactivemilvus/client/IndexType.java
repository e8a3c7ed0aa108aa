package io.github.reactivemilvus.client;

/**
 * The index types of Milvus 2.6, by the name the server knows them ({@link #wireName()}). A type
 * that is missing here can still be given by name ({@link IndexParam.Builder#indexType(String)}).
 */
public enum IndexType {
  /** Let the server choose (the default). */
  AUTOINDEX("AUTOINDEX"),
  /** Brute force (dense). */
  FLAT("FLAT"),
  /** Inverted file, raw vectors. */
  IVF_FLAT("IVF_FLAT"),
  /** Inverted file, scalar quantised. */
  IVF_SQ8("IVF_SQ8"),
  /** Inverted file, product quantised. */
  IVF_PQ("IVF_PQ"),
  /** Inverted file, RaBitQ quantised. */
  IVF_RABITQ("IVF_RABITQ"),
  /** Graph index. */
  HNSW("HNSW"),
  /** Graph index, scalar quantised. */
  HNSW_SQ("HNSW_SQ"),
  /** Graph index, product quantised. */
  HNSW_PQ("HNSW_PQ"),
  /** Graph index, residual product quantised. */
  HNSW_PRQ("HNSW_PRQ"),
  /** On-disk graph index. */
  DISKANN("DISKANN"),
  /** ScaNN. */
  SCANN("SCANN"),
  /** GPU brute force. */
  GPU_BRUTE_FORCE("GPU_BRUTE_FORCE"),
  /** GPU inverted file, raw vectors. */
  GPU_IVF_FLAT("GPU_IVF_FLAT"),
  /** GPU inverted file, product quantised. */
  GPU_IVF_PQ("GPU_IVF_PQ"),
  /** GPU graph index. */
  GPU_CAGRA("GPU_CAGRA"),
  /** Brute force (binary vectors). */
  BIN_FLAT("BIN_FLAT"),
  /** Inverted file (binary vectors). */
  BIN_IVF_FLAT("BIN_IVF_FLAT"),
  /** MinHash LSH (binary vectors). */
  MINHASH_LSH("MINHASH_LSH"),
  /** Sparse inverted index (sparse vectors, BM25 output). */
  SPARSE_INVERTED_INDEX("SPARSE_INVERTED_INDEX"),
  /** Sparse WAND index (sparse vectors). */
  SPARSE_WAND("SPARSE_WAND"),
  /** Scalar inverted index. */
  INVERTED("INVERTED"),
  /** Scalar sorted index (numbers). */
  STL_SORT("STL_SORT"),
  /** Scalar trie (strings). */
  TRIE("Trie"),
  /** Scalar bitmap index (low cardinality). */
  BITMAP("BITMAP"),
  /** N-gram index (LIKE filters). */
  NGRAM("NGRAM"),
  /** R-tree (geometry). */
  RTREE("RTREE");

  private final String wireName;

  IndexType(String wireName) {
    this.wireName = wireName;
  }

  /** The name the server knows this type by. */
  public String wireName() {
    return wireName;
  }
}
