"""What pymilvus (2.6+/3.x) makes of an array-of-structs field, without a server.

Usage: python pymilvus_struct_requests.py SPEC.json

SPEC: {"rows": [...], "column": base64 FieldData or null}. The collection is fixed: id Int64 primary key,
v FloatVector(2), chunks = array of at most 4 structs of {text VarChar(64), n Int32, emb FloatVector(2)}.
Prints one JSON object: "pymilvus" (version), "create" (base64 CreateCollectionRequest for collection "c"),
"insert" (base64 InsertRequest of the rows, encoded against the schema as the server describes it: sub-field
names in the server's "chunks[sub]" form), "decoded" (when "column" is given: pymilvus's rows of that
ArrayOfStruct column, a list per row).
"""
import base64
import json
import sys

import pymilvus
from pymilvus import DataType, MilvusClient, StructFieldSchema
from pymilvus.client.abstract import CollectionSchema as DescribedSchema
from pymilvus.client.entity_helper import extract_struct_array_from_column_data
from pymilvus.client.prepare import Prepare
from pymilvus.grpc_gen import milvus_pb2, schema_pb2


def b64(message):
    return base64.b64encode(message.SerializeToString()).decode("ascii")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    struct = StructFieldSchema()
    struct.add_field("text", DataType.VARCHAR, max_length=64)
    struct.add_field("n", DataType.INT32)
    struct.add_field("emb", DataType.FLOAT_VECTOR, dim=2)
    schema = MilvusClient.create_schema(enable_dynamic_field=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("v", DataType.FLOAT_VECTOR, dim=2)
    schema.add_field("chunks", DataType.ARRAY, element_type=DataType.STRUCT, struct_schema=struct, max_capacity=4)
    create = Prepare.create_collection_request("c", schema)

    described = schema_pb2.CollectionSchema()
    described.ParseFromString(create.schema)
    for s in described.struct_array_fields:
        for sub in s.fields:
            sub.name = s.name + "[" + sub.name + "]"
    info = DescribedSchema(raw=milvus_pb2.DescribeCollectionResponse(schema=described, collection_name="c")).dict()
    insert = Prepare.row_insert_param("c", spec["rows"], "", info["fields"], info.get("struct_array_fields", []),
                                      enable_dynamic=False)
    out = {"pymilvus": pymilvus.__version__, "create": b64(create), "insert": b64(insert)}
    if spec.get("column"):
        column = schema_pb2.FieldData()
        column.ParseFromString(base64.b64decode(spec["column"]))
        rows = len(column.struct_arrays.fields[0].scalars.array_data.data)
        out["decoded"] = [extract_struct_array_from_column_data(column.struct_arrays, i) for i in range(rows)]
    json.dump(out, sys.stdout)


main()
