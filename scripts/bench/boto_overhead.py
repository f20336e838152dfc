"""boto 2.49 Layer2, single-threaded, doing the client_overhead GetItem/PutItem
mix against the canned server; prints client CPU µs per op (getrusage) and ops/s.

usage: python boto_overhead.py PORT OPS REPS
"""
import collections
import collections.abc

# boto 2.49 predates Python 3.10's removal of these aliases.
collections.Mapping = collections.abc.Mapping
collections.MutableMapping = collections.abc.MutableMapping

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from boto.dynamodb.layer2 import Layer2  # noqa: E402
from boto.regioninfo import RegionInfo  # noqa: E402


def sample(i):
    """Message.sample(i) of bench/src/shapes.rs."""
    return {
        "forum_name": "Amazon DynamoDB",
        "subject": "How do I update multiple items? #%d" % i,
        "SentBy": "User A",
        "Body": "I want to update multiple items in a single call. "
                "What's the best way to do that? (%d)" % i,
        "ReceivedTime": "12/9/2011 11:36:03 PM",
        "views": 1000 + i,
        "rating": 4.25,
    }


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    port, ops, reps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    region = RegionInfo(name="us-east-1", endpoint="127.0.0.1")
    conn = Layer2(aws_access_key_id="AKIDBENCH", aws_secret_access_key="benchsecret",
                  is_secure=False, port=port, region=region)
    schema = conn.create_schema(hash_key_name="forum_name", hash_key_proto_value=str,
                                range_key_name="subject", range_key_proto_value=str)
    table = conn.table_from_schema("messages", schema)
    samples = [sample(i) for i in range(64)]

    def op(i):
        m = samples[i % len(samples)]
        if i % 2 == 0:
            item = table.get_item(hash_key=m["forum_name"], range_key=m["subject"])
            assert item["SentBy"] == "User A"
        else:
            attrs = {k: v for k, v in m.items() if k not in ("forum_name", "subject")}
            table.new_item(hash_key=m["forum_name"], range_key=m["subject"], attrs=attrs).put()

    for i in range(200):  # warm up
        op(i)
    for rep in range(reps):
        c0, t0 = cpu(), time.perf_counter()
        for i in range(ops):
            op(i)
        c1, t1 = cpu(), time.perf_counter()
        print(json.dumps({"rep": rep, "ops": ops, "ops_per_sec": ops / (t1 - t0),
                          "cpu_us_per_op": (c1 - c0) * 1e6 / ops}), flush=True)


if __name__ == "__main__":
    main()
