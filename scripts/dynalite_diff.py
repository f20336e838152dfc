"""Seeded differential test: the same random operations, valid and invalid,
on several key schemas, sent to dynamo-local (API 2011-12-05) and to
dynalite (API 2012-08-10 with the legacy parameters), the requests
translated, the answers normalised and compared.

Usage: python3 dynalite_diff.py --local URL --dynalite URL [--seed N]
                                [--ops N] [--max-secs S]

Exit status 0 when the answers agree on every operation, 1 otherwise (the
first divergences are printed with their request and both answers).

EXPECTED differences (between the two API versions, and dynalite's own):
  * consumed-capacity: 2011 answers carry ConsumedCapacityUnits, 2012 ones
    carry nothing unless asked; it is dropped before comparing.
  * error-messages: only the error type (`__type` after `#`) is compared;
    the wording of the two API versions differs.
  * scan-order: the order of a Scan is the implementation's; Scan items are
    compared as multisets (no Limit is sent to Scan for that reason).
  * number-spelling: numbers are compared by value (dynalite keeps the
    sender's spelling, e.g. "1.50"), set members in any order.
  * empty-strings: dynalite 4 accepts {"S": ""} outside keys as the service
    has since 2020; 2011-12-05 refuses every empty value. Not generated.
  * delete-only-update: an UpdateItem whose actions are all DELETE, on a
    missing item, creates a key-only item in dynalite; dynamo-local follows
    the 2011-12-05 reference ("DELETE: nothing happens" for a missing item)
    and creates nothing. Not generated: it would make the tables drift.
  * hash-only-query: 2012 allows Query on a hash-only table, 2011 does not;
    Query is sent to hash-range tables only.

Every generated operation must then answer alike: any difference is a
divergence, reported with the request and both normalised answers.
"""

import argparse
import decimal
import http.client
import json
import random
import sys
import time
import urllib.parse

TABLES = {
    # name: (hash name, hash type, range name or None, range type or None)
    "diff_s": ("id", "S", None, None),
    "diff_n": ("id", "N", None, None),
    "diff_sn": ("id", "S", "seq", "N"),
    "diff_ss": ("id", "S", "name", "S"),
}


class Server:
    def __init__(self, url, target_prefix):
        parts = urllib.parse.urlparse(url)
        self.host, self.port = parts.hostname, parts.port
        self.prefix = target_prefix
        self.conn = None

    def call(self, operation, body):
        payload = json.dumps(body)
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
            try:
                self.conn.request("POST", "/", payload, {
                    "Content-Type": "application/x-amz-json-1.0",
                    "X-Amz-Target": self.prefix + operation,
                    "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
                                     "SignedHeaders=host;x-amz-date;x-amz-target, Signature=00",
                    "X-Amz-Date": "20260101T000000Z",
                })
                response = self.conn.getresponse()
                data = response.read()
                return response.status, json.loads(data) if data else {}
            except (http.client.HTTPException, OSError):
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


# --- translation of 2011-12-05 requests into 2012-08-10 ones -------------

def key_2012(table, key):
    hash_name, _, range_name, _ = TABLES.get(table, ("id", "S", None, None))
    out = {}
    if "HashKeyElement" in key:
        out[hash_name] = key["HashKeyElement"]
    if "RangeKeyElement" in key:
        out[range_name or "range"] = key["RangeKeyElement"]
    return out


def key_2011(table, key):
    hash_name, _, range_name, _ = TABLES[table]
    out = {"HashKeyElement": key[hash_name]}
    if range_name and range_name in key:
        out["RangeKeyElement"] = key[range_name]
    return out


def translate(operation, body):
    body = json.loads(json.dumps(body))
    table = body.get("TableName")
    if operation in ("GetItem", "DeleteItem", "UpdateItem") and isinstance(body.get("Key"), dict):
        body["Key"] = key_2012(table, body["Key"])
    if operation in ("Query", "Scan") and isinstance(body.get("ExclusiveStartKey"), dict):
        body["ExclusiveStartKey"] = key_2012(table, body["ExclusiveStartKey"])
    if operation == "Query":
        hash_name, _, range_name, _ = TABLES.get(table, ("id", "S", "seq", "N"))
        conditions = {}
        if "HashKeyValue" in body:
            conditions[hash_name] = {"ComparisonOperator": "EQ",
                                     "AttributeValueList": [body.pop("HashKeyValue")]}
        if "RangeKeyCondition" in body:
            conditions[range_name or "range"] = body.pop("RangeKeyCondition")
        body["KeyConditions"] = conditions
    if operation == "BatchWriteItem":
        for name, writes in body.get("RequestItems", {}).items():
            for write in writes:
                delete = write.get("DeleteRequest")
                if delete and isinstance(delete.get("Key"), dict):
                    delete["Key"] = key_2012(name, delete["Key"])
    if operation == "BatchGetItem":
        for name, spec in body.get("RequestItems", {}).items():
            spec["Keys"] = [key_2012(name, k) for k in spec.get("Keys", [])]
    return body


# --- normalisation of answers -----------------------------------------------

def norm_value(value):
    if isinstance(value, dict) and len(value) == 1:
        (kind, inner), = value.items()
        if kind == "N":
            return {"N": str(decimal.Decimal(inner).normalize())}
        if kind == "NS":
            return {"NS": sorted(str(decimal.Decimal(n).normalize()) for n in inner)}
        if kind in ("SS", "BS"):
            return {kind: sorted(inner)}
    return value


def norm_item(item):
    return {name: norm_value(value) for name, value in sorted(item.items())}


def norm_items(items, ordered):
    items = [norm_item(i) for i in items]
    return items if ordered else sorted(items, key=lambda i: json.dumps(i, sort_keys=True))


def normalise(operation, table, status, body, api):
    if status != 200:
        return ("error", str(body.get("__type", "")).rsplit("#", 1)[-1])
    out = {}
    if operation in ("GetItem",):
        out["Item"] = norm_item(body["Item"]) if "Item" in body else None
    elif operation in ("PutItem", "DeleteItem", "UpdateItem"):
        attrs = body.get("Attributes")
        out["Attributes"] = norm_item(attrs) if attrs else None
    elif operation in ("Query", "Scan"):
        out["Count"] = body.get("Count")
        if "Items" in body:
            out["Items"] = norm_items(body["Items"], operation == "Query")
        last = body.get("LastEvaluatedKey")
        if last and api == 2012:
            last = key_2011(table, last)
        out["LastEvaluatedKey"] = {k: norm_value(v) for k, v in last.items()} if last else None
    elif operation == "BatchGetItem":
        responses = {}
        for name, value in body.get("Responses", {}).items():
            items = value["Items"] if api == 2011 else value
            responses[name] = norm_items(items, False)
        out["Responses"] = responses
        out["Unprocessed"] = bool(body.get("UnprocessedKeys"))
    elif operation == "BatchWriteItem":
        out["Unprocessed"] = bool(body.get("UnprocessedItems"))
    return ("ok", out)


# --- random operations --------------------------------------------------------

class Generator:
    def __init__(self, rng):
        self.rng = rng

    def scalar(self, kind):
        r = self.rng
        if kind == "S":
            return {"S": r.choice(["a", "b", "c", "ab", "abc", "ba", "x y", "é"])}
        if kind == "N":
            return {"N": r.choice(["0", "1", "2", "-1", "1.5", "10", "100", "2.50"])}
        return {"B": r.choice(["AA==", "AQ==", "AQI="])}

    def value(self):
        r = self.rng
        kind = r.choice(["S", "N", "SS", "NS", "S", "N"])
        if kind in ("S", "N"):
            return self.scalar(kind)
        members = {json.dumps(self.scalar(kind[0])[kind[0]]) for _ in range(r.randint(1, 3))}
        return {kind: [json.loads(m) for m in members]}

    def key(self, table, valid=True):
        hash_name, hash_type, range_name, range_type = TABLES[table]
        key = {"HashKeyElement": self.scalar(hash_type)}
        if range_name:
            key["RangeKeyElement"] = self.scalar(range_type)
        if not valid:
            broken = self.rng.choice(["type", "missing", "extra"])
            if broken == "type":
                key["HashKeyElement"] = self.scalar("N" if hash_type == "S" else "S")
            elif broken == "missing":
                key.pop("RangeKeyElement", None) if range_name else key.pop("HashKeyElement")
            else:
                key["RangeKeyElement"] = self.scalar("S")
                if range_name:
                    key["RangeKeyElement"] = self.scalar("B")
        return key

    def item(self, table):
        hash_name, hash_type, range_name, range_type = TABLES[table]
        key = self.key(table)
        item = {hash_name: key["HashKeyElement"]}
        if range_name:
            item[range_name] = key["RangeKeyElement"]
        for name in self.rng.sample(["a", "b", "c"], self.rng.randint(0, 3)):
            item[name] = self.value()
        return item

    def condition(self, kind, scan):
        r = self.rng
        ops = ["EQ", "LE", "LT", "GE", "GT", "BETWEEN", "BEGINS_WITH"]
        if scan:
            ops += ["NE", "NULL", "NOT_NULL", "CONTAINS", "NOT_CONTAINS", "IN"]
        op = r.choice(ops)
        if op in ("NULL", "NOT_NULL"):
            return {"ComparisonOperator": op}
        if op == "BETWEEN":
            low, high = sorted([self.scalar(kind), self.scalar(kind)],
                               key=lambda v: decimal.Decimal(v["N"]) if kind == "N" else v[kind].encode())
            return {"ComparisonOperator": op, "AttributeValueList": [low, high]}
        if op == "BEGINS_WITH" and kind == "N":
            kind = "S"
        if op == "IN":
            return {"ComparisonOperator": op, "AttributeValueList": [self.scalar(kind), self.scalar(kind)]}
        return {"ComparisonOperator": op, "AttributeValueList": [self.scalar(kind)]}

    def operation(self):
        r = self.rng
        table = r.choice(list(TABLES))
        hash_name, hash_type, range_name, range_type = TABLES[table]
        valid = r.random() < 0.85
        op = r.choice(["PutItem"] * 4 + ["GetItem"] * 2 + ["DeleteItem", "UpdateItem", "UpdateItem",
                      "Query", "Query", "Scan", "BatchWriteItem", "BatchGetItem"])
        if op == "Query" and not range_name:
            op = "Scan"
        if op == "PutItem":
            item = self.item(table)
            if not valid:
                # Both versions refuse these; an empty string outside a key
                # is refused by 2011-12-05 only (see EXPECTED), so never sent.
                name = r.choice(["a", hash_name])
                bad = [{"SS": []}, {"N": "x"}, {}] + ([{"S": ""}] if name == hash_name else [])
                item[name] = r.choice(bad)
            body = {"TableName": table, "Item": item}
            if r.random() < 0.3:
                body["Expected"] = {"a": r.choice([{"Exists": False}, {"Value": self.value()}])}
            if r.random() < 0.3:
                body["ReturnValues"] = "ALL_OLD"
            return op, table, body
        if op == "GetItem":
            body = {"TableName": table, "Key": self.key(table, valid), "ConsistentRead": True}
            if r.random() < 0.3:
                body["AttributesToGet"] = r.sample(["a", "b", "c", hash_name], r.randint(1, 3))
            return op, table, body
        if op == "DeleteItem":
            body = {"TableName": table, "Key": self.key(table, valid)}
            if r.random() < 0.3:
                body["ReturnValues"] = "ALL_OLD"
            if r.random() < 0.2:
                body["Expected"] = {"b": {"Exists": False}}
            return op, table, body
        if op == "UpdateItem":
            updates = {}
            for name in r.sample(["a", "b", "c"], r.randint(1, 2)):
                action = r.choice(["PUT", "ADD", "DELETE"])
                update = {"Action": action}
                if action == "PUT" or r.random() < 0.7:
                    update["Value"] = r.choice([self.scalar("N"), self.value()])
                updates[name] = update
            if all(u["Action"] == "DELETE" for u in updates.values()):
                # See EXPECTED, delete-only-update: never sent.
                updates["c"] = {"Action": "PUT", "Value": self.value()}
            if not valid:
                updates[hash_name] = {"Action": "PUT", "Value": self.scalar(hash_type)}
            body = {"TableName": table, "Key": self.key(table), "AttributeUpdates": updates,
                    "ReturnValues": r.choice(["NONE", "ALL_NEW", "UPDATED_OLD"])}
            return op, table, body
        if op == "Query":
            body = {"TableName": table, "HashKeyValue": self.scalar(hash_type),
                    "ConsistentRead": True, "ScanIndexForward": r.random() < 0.5}
            if r.random() < 0.7:
                body["RangeKeyCondition"] = self.condition(range_type, False)
            if r.random() < 0.3:
                body["Limit"] = r.randint(1, 3)
            if not valid:
                body["HashKeyValue"] = self.scalar("N" if hash_type == "S" else "S")
            return op, table, body
        if op == "Scan":
            body = {"TableName": table}
            if r.random() < 0.7:
                name = r.choice(["a", "b", hash_name])
                kind = hash_type if name == hash_name else r.choice(["S", "N"])
                body["ScanFilter"] = {name: self.condition(kind, True)}
            if not valid:
                body["ScanFilter"] = {"a": {"ComparisonOperator": "BETWEEN",
                                            "AttributeValueList": [self.scalar("N")]}}
            return op, table, body
        if op == "BatchWriteItem":
            writes, seen = [], set()
            for _ in range(r.randint(1, 4)):
                if r.random() < 0.7:
                    item = self.item(table)
                    ident = json.dumps([item[hash_name], item.get(range_name)], sort_keys=True)
                    request = {"PutRequest": {"Item": item}}
                else:
                    key = self.key(table)
                    ident = json.dumps([key["HashKeyElement"], key.get("RangeKeyElement")], sort_keys=True)
                    request = {"DeleteRequest": {"Key": key}}
                if ident in seen:
                    continue
                seen.add(ident)
                writes.append(request)
            if not valid:
                writes.append({"PutRequest": {"Item": {"a": {"S": "no key"}}}})
            return op, table, {"RequestItems": {table: writes}}
        keys, seen = [], set()
        for _ in range(r.randint(1, 4)):
            key = self.key(table)
            ident = json.dumps(key, sort_keys=True)
            if ident not in seen:
                seen.add(ident)
                keys.append(key)
        if not valid:
            keys.append(self.key(table, False))
        return op, table, {"RequestItems": {table: {"Keys": keys}}}


def create_tables(local, dynalite):
    for name, (hash_name, hash_type, range_name, range_type) in TABLES.items():
        schema = {"HashKeyElement": {"AttributeName": hash_name, "AttributeType": hash_type}}
        definitions = [{"AttributeName": hash_name, "AttributeType": hash_type}]
        key_schema = [{"AttributeName": hash_name, "KeyType": "HASH"}]
        if range_name:
            schema["RangeKeyElement"] = {"AttributeName": range_name, "AttributeType": range_type}
            definitions.append({"AttributeName": range_name, "AttributeType": range_type})
            key_schema.append({"AttributeName": range_name, "KeyType": "RANGE"})
        throughput = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
        status, body = local.call("CreateTable", {"TableName": name, "KeySchema": schema,
                                                  "ProvisionedThroughput": throughput})
        assert status == 200, body
        status, body = dynalite.call("CreateTable", {"TableName": name, "KeySchema": key_schema,
                                                     "AttributeDefinitions": definitions,
                                                     "ProvisionedThroughput": throughput})
        assert status == 200, body
    deadline = time.time() + 10
    while time.time() < deadline:
        states = [dynalite.call("DescribeTable", {"TableName": n})[1]["Table"]["TableStatus"] for n in TABLES]
        if all(s == "ACTIVE" for s in states):
            return
        time.sleep(0.05)
    raise AssertionError("dynalite tables not ACTIVE")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--local", required=True)
    parser.add_argument("--dynalite", required=True)
    parser.add_argument("--seed", type=int, default=20111205)
    parser.add_argument("--ops", type=int, default=5000)
    parser.add_argument("--max-secs", type=float, default=300)
    args = parser.parse_args()
    local = Server(args.local, "DynamoDB_20111205.")
    dynalite = Server(args.dynalite, "DynamoDB_20120810.")
    create_tables(local, dynalite)
    rng = random.Random(args.seed)
    generator = Generator(rng)
    started = time.time()
    done = unexplained = 0
    outcomes = {}
    while done < args.ops and time.time() - started < args.max_secs:
        operation, table, body = generator.operation()
        local_answer = normalise(operation, table, *local.call(operation, body), api=2011)
        remote_answer = normalise(operation, table, *dynalite.call(operation, translate(operation, body)), api=2012)
        done += 1
        outcome = "%s:%s" % (operation, local_answer[1] if local_answer[0] == "error" else "ok")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if local_answer == remote_answer:
            continue
        unexplained += 1
        if unexplained <= 5:
            print("DIVERGENCE #%d (op %d) %s %s" % (unexplained, done, operation, json.dumps(body)[:600]))
            print("  dynamo-local: %s" % json.dumps(local_answer, sort_keys=True)[:600])
            print("  dynalite:     %s" % json.dumps(remote_answer, sort_keys=True)[:600])
    elapsed = time.time() - started
    print("dynalite diff: seed %d, %d operations in %.1f s, %d unexplained divergences"
          % (args.seed, done, elapsed, unexplained))
    print("dynalite diff: outcomes %s" % json.dumps(outcomes, sort_keys=True))
    if done < args.ops:
        print("dynalite diff: stopped by the %.0f s time bound before %d operations" % (args.max_secs, args.ops))
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
