"""Writes seed inputs (framed as the engine_execute target expects) from
request bodies in the style of boto's wire capture."""
import os
import struct

OPS = ["BatchGetItem", "BatchWriteItem", "CreateTable", "DeleteItem", "DeleteTable",
       "DescribeTable", "GetItem", "ListTables", "PutItem", "Query", "Scan",
       "UpdateItem", "UpdateTable"]

def frame(*commands):
    out = b""
    for op, body in commands:
        body = body.encode()
        out += bytes([OPS.index(op)]) + struct.pack(">H", len(body)) + body
    return out

PUT_T = '{"TableName": "tab", "Item": {"h": {"S": "a"}, "n": {"N": "1.5"}, "ss": {"SS": ["x", "y"]}, "b": {"B": "AQI="}}}'
PUT_R = '{"TableName": "rng", "Item": {"h": {"S": "a"}, "r": {"N": "7"}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["AQ=="]}}}'
SEEDS = {
    "list": frame(("ListTables", '{"Limit": 1}')),
    "put_get": frame(("PutItem", PUT_T), ("GetItem", '{"TableName": "tab", "Key": {"HashKeyElement": {"S": "a"}}, "AttributesToGet": ["n"], "ConsistentRead": true}')),
    "update": frame(("PutItem", PUT_T), ("UpdateItem", '{"TableName": "tab", "Key": {"HashKeyElement": {"S": "a"}}, "AttributeUpdates": {"n": {"Action": "ADD", "Value": {"N": "2"}}, "ss": {"Action": "DELETE", "Value": {"SS": ["x"]}}, "z": {"Action": "PUT", "Value": {"S": "q"}}}, "Expected": {"n": {"Value": {"N": "1.5"}}}, "ReturnValues": "ALL_NEW"}')),
    "query": frame(("PutItem", PUT_R), ("Query", '{"TableName": "rng", "HashKeyValue": {"S": "a"}, "RangeKeyCondition": {"AttributeValueList": [{"N": "1"}, {"N": "9"}], "ComparisonOperator": "BETWEEN"}, "Limit": 1, "ScanIndexForward": false}')),
    "scan": frame(("PutItem", PUT_R), ("Scan", '{"TableName": "rng", "ScanFilter": {"ns": {"AttributeValueList": [{"N": "1"}], "ComparisonOperator": "CONTAINS"}}, "Limit": 5}')),
    "batch": frame(("BatchWriteItem", '{"RequestItems": {"tab": [{"PutRequest": {"Item": {"h": {"S": "b"}}}}, {"DeleteRequest": {"Key": {"HashKeyElement": {"S": "a"}}}}]}}'),
                   ("BatchGetItem", '{"RequestItems": {"tab": {"Keys": [{"HashKeyElement": {"S": "b"}}], "ConsistentRead": true}, "rng": {"Keys": [{"HashKeyElement": {"S": "a"}, "RangeKeyElement": {"N": "7"}}]}}}')),
    "tables": frame(("UpdateTable", '{"TableName": "tab", "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}}'),
                    ("DescribeTable", '{"TableName": "tab"}'), ("DeleteTable", '{"TableName": "rng"}')),
    "delete": frame(("PutItem", PUT_T), ("DeleteItem", '{"TableName": "tab", "Key": {"HashKeyElement": {"S": "a"}}, "Expected": {"n": {"Exists": false}}, "ReturnValues": "ALL_OLD"}')),
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds", "engine_execute")
os.makedirs(out, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
