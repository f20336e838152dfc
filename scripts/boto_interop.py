"""boto 2.49 (boto.dynamodb, API 2011-12-05) against dynamo-local.

Runs every step of the seed tutorial (shared/seed/dynamodb_tut.rst) in order,
then boto-driven checks of queries, scans, batches, conditional writes,
updates, types, table changes and signature verification.

Usage: python boto_interop.py --port PORT --verify-port PORT2 --delay-port PORT3
  PORT   a dynamo-local accepting any credentials
  PORT2  a dynamo-local started with --verify-signatures AKID:SECRET
  PORT3  a dynamo-local started with --transition-delay-ms 300
Prints "boto interop: N passed, M failed"; exits 1 if anything failed.
"""

import argparse
import decimal
import sys
import time
import traceback

# boto 2.49 predates Python 3.10; restore the aliases it imports.
import collections
import collections.abc

collections.Mapping = collections.abc.Mapping
collections.MutableMapping = collections.abc.MutableMapping

import boto  # noqa: E402
import boto.dynamodb  # noqa: E402
from boto.dynamodb.condition import (  # noqa: E402
    BEGINS_WITH, BETWEEN, CONTAINS, EQ, GE, GT, LE, LT, NOT_NULL,
)
from boto.dynamodb.exceptions import (  # noqa: E402
    DynamoDBConditionalCheckFailedError, DynamoDBKeyNotFoundError,
    DynamoDBResponseError, DynamoDBValidationError,
)
from boto.dynamodb.layer2 import Layer2  # noqa: E402
from boto.dynamodb.schema import Schema  # noqa: E402
from boto.dynamodb.types import Binary, Dynamizer  # noqa: E402
from boto.regioninfo import RegionInfo  # noqa: E402

KEY, SECRET = "AKID", "SECRET"
RESULTS = {"passed": 0, "failed": 0}
STATE = {}


def step(func):
    """Runs one named check, recording pass/fail without stopping the run."""
    name = func.__name__
    try:
        func()
    except Exception:  # noqa: BLE001 - every failure is reported, then counted
        RESULTS["failed"] += 1
        print("FAIL %s" % name)
        traceback.print_exc(file=sys.stdout)
    else:
        RESULTS["passed"] += 1
        print("ok   %s" % name)
    return func


def redirect_all_connections(port):
    """Points every boto connection at localhost:port over http (boto's
    [Credentials] s3_host/s3_port apply to all services), so the tutorial's
    connect_to_region call runs verbatim."""
    for section in ("Credentials", "Boto"):
        if not boto.config.has_section(section):
            boto.config.add_section(section)
    boto.config.set("Credentials", "s3_host", "localhost")
    boto.config.set("Credentials", "s3_port", str(port))
    boto.config.set("Boto", "is_secure", "False")


def clear_redirect():
    if boto.config.has_section("Credentials"):
        for option in ("s3_host", "s3_port"):
            boto.config.remove_option("Credentials", option)


def local_connection(port, key=KEY, secret=SECRET, **kw):
    """A Layer2 on a RegionInfo whose endpoint is `localhost` (boto then signs
    with the scope localhost/localhost, as in the wire capture)."""
    region = RegionInfo(name="local", endpoint="localhost", connection_cls=Layer2)
    return Layer2(aws_access_key_id=key, aws_secret_access_key=secret,
                  region=region, port=port, is_secure=False, **kw)


def signing_as_dynamodb(conn, region="us-east-1"):
    """Makes boto sign with the scope <region>/dynamodb, as it does for the
    service's own host names (for `localhost` it derives localhost/localhost,
    which a verifying dynamo-local refuses as AWS would)."""
    layer1 = conn.layer1 if isinstance(conn, Layer2) else conn
    layer1.auth_service_name = "dynamodb"
    layer1.auth_region_name = region
    return conn


def expect_error(exc_type, func, code=None):
    try:
        func()
    except exc_type as error:
        if code is not None:
            assert error.error_code == code, (error.error_code, code)
        return error
    raise AssertionError("expected %s" % exc_type.__name__)


def wait_until(predicate, what, seconds=10.0):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def wait_active(conn, name):
    wait_until(lambda: conn.describe_table(name)["Table"]["TableStatus"] == "ACTIVE",
               name + " ACTIVE")


def wait_gone(conn, name):
    wait_until(lambda: name not in conn.list_tables(), name + " deleted")


def run_tutorial(port):
    """Every step of dynamodb_tut.rst, in order."""
    S = STATE

    @step
    def tutorial_creating_a_connection():
        redirect_all_connections(port)
        S["conn"] = boto.dynamodb.connect_to_region(
            "us-west-2", aws_access_key_id=KEY, aws_secret_access_key=SECRET)
        assert isinstance(S["conn"], Layer2), S["conn"]

    @step
    def tutorial_listing_tables():
        assert S["conn"].list_tables() == [], S["conn"].list_tables()

    @step
    def tutorial_creating_tables():
        conn = S["conn"]
        S["schema"] = conn.create_schema(
            hash_key_name="forum_name", hash_key_proto_value=str,
            range_key_name="subject", range_key_proto_value=str)
        table = conn.create_table(name="messages", schema=S["schema"],
                                  read_units=10, write_units=10)
        assert repr(table) == "Table(messages)", repr(table)
        assert table.status in ("CREATING", "ACTIVE"), table.status
        wait_active(conn, "messages")

    @step
    def tutorial_getting_a_table():
        conn = S["conn"]
        assert "messages" in conn.list_tables()
        table = conn.get_table("messages")
        assert repr(table) == "Table(messages)"
        assert table.schema == S["schema"]
        table = conn.table_from_schema(name="messages", schema=S["schema"])
        assert table.create_time is None and table.status is None
        assert table.read_units is None and table.write_units is None
        assert table.item_count == 0 and table.size_bytes == 0

    @step
    def tutorial_refresh_table_from_schema():
        table = S["conn"].table_from_schema(
            name="messages",
            schema=Schema.create(hash_key=("forum_name", "S"), range_key=("subject", "S")))
        assert table.write_units is None
        table.refresh()
        assert table.write_units == 10, table.write_units
        assert table.read_units == 10 and table.status == "ACTIVE"

    @step
    def tutorial_application_caching_pattern():
        class Application(object):
            def __init__(self, layer2):
                self._layer2 = layer2

            def retrieve_item(self, table_name, key):
                return self._layer2.get_table(table_name).get_item(key)

        class CachingApplication(object):
            def __init__(self, layer2):
                self._layer2 = layer2
                self._tables_by_name = {}

            def retrieve_item(self, table_name, key):
                table = self._tables_by_name.get(table_name)
                if table is None:
                    table = self._layer2.get_table(table_name)
                    self._tables_by_name[table_name] = table
                return table.get_item(key)

        conn = S["conn"]
        schema = conn.create_schema(hash_key_name="id", hash_key_proto_value=str)
        table = conn.create_table("app_items", schema, 5, 5)
        wait_active(conn, "app_items")
        table.new_item(hash_key="k1", attrs={"v": "one"}).put()
        for app in (Application(conn), CachingApplication(conn)):
            assert app.retrieve_item("app_items", "k1") == {"id": "k1", "v": "one"}
        cached = CachingApplication(conn)
        cached.retrieve_item("app_items", "k1")
        assert list(cached._tables_by_name) == ["app_items"]

    @step
    def tutorial_describing_tables():
        conn = S["conn"]
        assert "messages" in conn.list_tables()
        desc = conn.describe_table("messages")["Table"]
        assert desc["TableName"] == "messages"
        assert desc["TableStatus"] == "ACTIVE"
        assert desc["ItemCount"] == 0 and desc["TableSizeBytes"] == 0
        assert desc["KeySchema"] == {
            "HashKeyElement": {"AttributeName": "forum_name", "AttributeType": "S"},
            "RangeKeyElement": {"AttributeName": "subject", "AttributeType": "S"},
        }, desc["KeySchema"]
        throughput = desc["ProvisionedThroughput"]
        assert throughput["ReadCapacityUnits"] == 10 and throughput["WriteCapacityUnits"] == 10
        assert isinstance(desc["CreationDateTime"], (int, float))
        assert abs(desc["CreationDateTime"] - time.time()) < 600

    @step
    def tutorial_adding_items():
        table = S["conn"].get_table("messages")
        item_data = {
            "Body": "http://url_to_lolcat.gif",
            "SentBy": "User A",
            "ReceivedTime": "12/9/2011 11:36:03 PM",
        }
        item = table.new_item(hash_key="LOLCat Forum", range_key="Check this out!",
                              attrs=item_data)
        item["a_new_key"] = "testing"
        del item["a_new_key"]
        response = item.put()
        assert response["ConsumedCapacityUnits"] > 0, response

    @step
    def tutorial_retrieving_items():
        table = S["conn"].get_table("messages")
        item = table.get_item(hash_key="LOLCat Forum", range_key="Check this out!")
        assert item == {
            "forum_name": "LOLCat Forum",
            "subject": "Check this out!",
            "Body": "http://url_to_lolcat.gif",
            "ReceivedTime": "12/9/2011 11:36:03 PM",
            "SentBy": "User A",
        }, item

    @step
    def tutorial_updating_items():
        table = S["conn"].get_table("messages")
        item = table.get_item(hash_key="LOLCat Forum", range_key="Check this out!")
        item["SentBy"] = "User B"
        item.put()
        again = table.get_item("LOLCat Forum", "Check this out!", consistent_read=True)
        assert again["SentBy"] == "User B" and again["Body"] == "http://url_to_lolcat.gif", again

    @step
    def tutorial_working_with_decimals():
        conn = S["conn"]
        conn.use_decimals()
        table = conn.get_table("messages")
        item = table.new_item(hash_key="LOLCat Forum", range_key="Check this out!")
        item["decimal_type"] = decimal.Decimal("1.12345678912345")
        item.put()
        got = table.get_item("LOLCat Forum", "Check this out!")
        print("     ", got)
        assert got == {"forum_name": "LOLCat Forum", "subject": "Check this out!",
                       "decimal_type": decimal.Decimal("1.12345678912345")}, got
        assert isinstance(got["decimal_type"], decimal.Decimal)

    @step
    def tutorial_dynamizer_parameter():
        # The tutorial's literal call omits the (required) region name.
        expect_error(TypeError, lambda: boto.dynamodb.connect_to_region(dynamizer=Dynamizer))
        conn = boto.dynamodb.connect_to_region(
            "us-west-2", aws_access_key_id=KEY, aws_secret_access_key=SECRET,
            dynamizer=Dynamizer)
        got = conn.get_table("messages").get_item("LOLCat Forum", "Check this out!")
        assert got["decimal_type"] == decimal.Decimal("1.12345678912345"), got

    @step
    def tutorial_deleting_items():
        table = S["conn"].get_table("messages")
        item = table.get_item(hash_key="LOLCat Forum", range_key="Check this out!")
        item.delete()
        assert not table.has_item("LOLCat Forum", "Check this out!", consistent_read=True)
        expect_error(DynamoDBKeyNotFoundError,
                     lambda: table.get_item("LOLCat Forum", "Check this out!"))

    @step
    def tutorial_deleting_tables_through_layer2():
        conn = S["conn"]
        table = conn.get_table("messages")
        conn.delete_table(table)
        assert table.status in ("DELETING", None), table.status
        wait_gone(conn, "messages")

    @step
    def tutorial_deleting_tables_through_table():
        conn = S["conn"]
        conn.create_table("messages", S["schema"], 10, 10)
        wait_active(conn, "messages")
        table = conn.get_table("messages")
        table.delete()
        wait_gone(conn, "messages")
        error = expect_error(DynamoDBResponseError, lambda: conn.get_table("messages"),
                             "ResourceNotFoundException")
        assert error.status == 400
        clear_redirect()


def create(conn, name, hash_key, hash_type, range_key=None, range_type=None, units=(5, 5)):
    schema = conn.create_schema(hash_key, hash_type, range_key, range_type)
    table = conn.create_table(name, schema, units[0], units[1])
    wait_active(conn, name)
    return conn.get_table(name)


def batch_write_all(conn, table, puts=(), deletes=()):
    """BatchWriteItem takes at most 25 requests: submit in chunks of 25."""
    requests = [("put", p) for p in puts] + [("delete", d) for d in deletes]
    calls = 0
    for start in range(0, len(requests), 25):
        chunk = requests[start:start + 25]
        batch = conn.new_batch_write_list()
        batch.add_batch(table, puts=[r for kind, r in chunk if kind == "put"] or None,
                        deletes=[r for kind, r in chunk if kind == "delete"] or None)
        response = batch.submit()
        assert response.get("UnprocessedItems") == {}, response
        calls += 1
    return calls


def run_checks(port):
    clear_redirect()
    conn = local_connection(port)
    S = {}

    @step
    def setup_thread_table_with_batch_write():
        S["posts"] = create(conn, "posts", "forum", str, "seq", int)
        items = [S["posts"].new_item("rust", n, attrs={"n": n, "tags": {"t%d" % (n % 3), "all"}})
                 for n in range(1, 121)]
        items += [S["posts"].new_item("go", n, attrs={"n": n}) for n in range(1, 6)]
        assert batch_write_all(conn, S["posts"], puts=items) == 5
        assert S["posts"].get_item("rust", 120)["n"] == 120

    @step
    def query_range_conditions():
        posts = S["posts"]

        def seqs(cond, **kw):
            return [i["seq"] for i in posts.query("rust", range_key_condition=cond, **kw)]

        assert seqs(EQ(7)) == [7]
        assert seqs(LE(3)) == [1, 2, 3]
        assert seqs(LT(3)) == [1, 2]
        assert seqs(GE(118)) == [118, 119, 120]
        assert seqs(GT(118)) == [119, 120]
        assert seqs(BETWEEN(10, 13)) == [10, 11, 12, 13]
        assert len(seqs(None)) == 120
        assert [i["seq"] for i in posts.query("go")] == [1, 2, 3, 4, 5]
        assert list(posts.query("nobody")) == []

    @step
    def query_reverse_limit_and_paging():
        posts = S["posts"]
        reverse = [i["seq"] for i in posts.query("rust", scan_index_forward=False, max_results=3)]
        assert reverse == [120, 119, 118], reverse
        paged = posts.query("rust", request_limit=7)
        assert [i["seq"] for i in paged] == list(range(1, 121))
        assert paged.count == 120, paged.count
        assert paged.consumed_units > 0
        first = conn.layer1.query("posts", {"S": "rust"}, limit=7)
        assert first["Count"] == 7 and len(first["Items"]) == 7
        assert first["LastEvaluatedKey"] == {"HashKeyElement": {"S": "rust"},
                                             "RangeKeyElement": {"N": "7"}}, first
        projected = list(posts.query("rust", BETWEEN(1, 2), attributes_to_get=["seq"]))
        # boto's Item fills the unprojected hash key with None.
        assert [{k: v for k, v in i.items() if v is not None} for i in projected] == [
            {"seq": 1}, {"seq": 2}], projected
        counted = posts.query("rust", GT(100), count=True)
        assert list(counted) == [] and counted.count == 20, counted.count
        from_key = posts.query("rust", exclusive_start_key=("rust", 117))
        assert [i["seq"] for i in from_key] == [118, 119, 120]

    @step
    def query_begins_with_on_string_ranges():
        threads = create(conn, "threads", "forum_name", str, "subject", str)
        for subject in ("Thread 1", "Thread 2", "Thread 3", "Other"):
            threads.new_item("DynamoDB", subject, attrs={"Replies": len(subject)}).put()
        subjects = [i["subject"] for i in threads.query("DynamoDB", BEGINS_WITH("Thread"))]
        assert subjects == ["Thread 1", "Thread 2", "Thread 3"], subjects
        subjects = [i["subject"] for i in threads.query("DynamoDB", BETWEEN("Other", "Thread 1"))]
        assert subjects == ["Other", "Thread 1"], subjects

    @step
    def scan_filters_limit_and_count():
        posts = S["posts"]
        big = list(posts.scan(scan_filter={"n": GT(115)}))
        assert sorted((i["forum"], i["seq"]) for i in big) == [("rust", n) for n in range(116, 121)]
        t0 = posts.scan(scan_filter={"tags": CONTAINS("t0"), "n": LE(30)})
        assert sorted(i["seq"] for i in t0) == [3, 6, 9, 12, 15, 18, 21, 24, 27, 30]
        assert t0.scanned_count == 125, t0.scanned_count
        no_tags = list(posts.scan(scan_filter={"tags": NOT_NULL()}))
        assert len(no_tags) == 120
        limited = list(posts.scan(max_results=10, request_limit=4))
        assert len(limited) == 10
        assert len(list(posts.scan(request_limit=9))) == 125
        counted = posts.scan(count=True)
        list(counted)
        assert counted.count == 125, counted.count

    @step
    def batch_get_across_tables_and_over_100_keys():
        posts = S["posts"]
        batch = conn.new_batch_list()
        batch.add_batch(posts, [("rust", 1), ("go", 5), ("rust", 999)], attributes_to_get=["n"])
        batch.add_batch(conn.get_table("app_items"), ["k1"])
        response = batch.submit()
        items = response["Responses"]["posts"]["Items"]
        assert sorted(i["n"] for i in items) == [1, 5], items
        assert response["Responses"]["app_items"]["Items"] == [{"id": "k1", "v": "one"}]
        assert response["UnprocessedKeys"] == {}, response
        keys = [("rust", n) for n in range(1, 121)]
        got = list(posts.batch_get_item(keys))
        assert sorted(i["seq"] for i in got) == list(range(1, 121)), len(got)

    @step
    def batch_write_deletes_over_25():
        posts = S["posts"]
        calls = batch_write_all(conn, posts, deletes=[("rust", n) for n in range(1, 61)])
        assert calls == 3
        assert [i["seq"] for i in posts.query("rust", max_results=1)] == [61]
        mixed = [posts.new_item("mixed", n, attrs={"n": n}) for n in range(30)]
        batch_write_all(conn, posts, puts=mixed, deletes=[("go", n) for n in range(1, 6)])
        assert posts.query("mixed", count=True).count == 30
        assert list(posts.query("go")) == []

    @step
    def conditional_put_and_delete():
        table = create(conn, "cond", "id", str)
        item = table.new_item("c1", attrs={"Views": 0, "Owner": "ann"})
        item.put(expected_value={"Views": False})
        expect_error(DynamoDBConditionalCheckFailedError,
                     lambda: item.put(expected_value={"Views": False}),
                     "ConditionalCheckFailedException")
        old = table.new_item("c1", attrs={"Views": 1, "Owner": "ann"}).put(
            expected_value={"Views": 0, "Missing": False}, return_values="ALL_OLD")
        assert old["Attributes"] == {"id": "c1", "Views": 0, "Owner": "ann"}, old
        error = expect_error(DynamoDBConditionalCheckFailedError,
                             lambda: table.get_item("c1").delete(expected_value={"Views": 999}))
        assert error.status == 400 and error.error_message == "The conditional request failed", error
        assert table.has_item("c1", consistent_read=True)
        deleted = table.get_item("c1").delete(expected_value={"Owner": "ann"}, return_values="ALL_OLD")
        assert deleted["Attributes"]["Views"] == 1, deleted
        assert not table.has_item("c1", consistent_read=True)
        expect_error(DynamoDBValidationError,
                     lambda: table.new_item("c2", attrs={"x": 1}).put(expected_value={"x": True}))

    @step
    def update_item_actions_and_return_values():
        table = conn.get_table("cond")
        table.new_item("u1", attrs={"n": 5, "tags": {"a", "b", "c"}, "keep": "x"}).put()

        def update(mutate, return_values):
            item = table.new_item("u1")
            mutate(item)
            return item.save(return_values=return_values)

        old = update(lambda i: i.add_attribute("n", 2), "ALL_OLD")
        assert old["Attributes"] == {"id": "u1", "n": 5, "tags": {"a", "b", "c"}, "keep": "x"}, old
        assert update(lambda i: i.add_attribute("n", 1), "UPDATED_OLD")["Attributes"] == {"n": 7}
        new = update(lambda i: i.delete_attribute("tags", {"a"}), "ALL_NEW")
        assert new["Attributes"] == {"id": "u1", "n": 8, "tags": {"b", "c"}, "keep": "x"}, new
        updated = update(lambda i: i.add_attribute("tags", {"z"}), "UPDATED_NEW")
        assert updated["Attributes"] == {"tags": {"b", "c", "z"}}, updated
        none = update(lambda i: i.add_attribute("n", -10), "NONE")
        assert "Attributes" not in none and none["ConsumedCapacityUnits"] > 0, none
        plain = update(lambda i: i.delete_attribute("keep"), None)
        assert "Attributes" not in plain
        assert table.get_item("u1", consistent_read=True) == {"id": "u1", "n": -2, "tags": {"b", "c", "z"}}
        created = update(lambda i: i.add_attribute("count", 3), "ALL_NEW")
        assert created["Attributes"]["count"] == 3
        fresh = table.new_item("u2")
        fresh.add_attribute("hits", 1)
        fresh.put_attribute("name", "new")
        assert fresh.save(return_values="ALL_NEW")["Attributes"] == {"id": "u2", "hits": 1, "name": "new"}
        cond = table.new_item("u2")
        cond.add_attribute("hits", 1)
        expect_error(DynamoDBConditionalCheckFailedError,
                     lambda: cond.save(expected_value={"hits": 5}))
        cond.save(expected_value={"hits": 1})
        assert table.get_item("u2", consistent_read=True)["hits"] == 2

    @step
    def binary_and_set_attributes():
        table = create(conn, "types", "id", int)
        attrs = {
            "bin": Binary(b"\x00\x01\xfe\xff"),
            "bins": {Binary(b"a"), Binary(b"\x00b")},
            "strs": {"x", "y", "\u00e9t\u00e9", "\U0001f600"},
            "nums": {1, 2.5, -3},
            "text": "caf\u00e9 \U0001f600",
        }
        table.new_item(1, attrs=attrs).put()
        got = table.get_item(1, consistent_read=True)
        assert got == dict(attrs, id=1), got
        assert isinstance(got["bin"], Binary) and bytes(got["bin"]) == b"\x00\x01\xfe\xff"
        item = table.new_item(1)
        item.delete_attribute("bins", {Binary(b"a")})
        item.add_attribute("nums", {4})
        item.save()
        got = table.get_item(1, consistent_read=True)
        assert got["bins"] == {Binary(b"\x00b")} and got["nums"] == {1, 2.5, -3, 4}, got

    @step
    def decimals_and_lossy_floats():
        table = conn.get_table("types")
        table.new_item(2, attrs={"f": 4.5, "i": 42, "d": decimal.Decimal("1.12345678912345"),
                                 "big": decimal.Decimal("12345678901234567890123456789012345678"),
                                 "tiny": decimal.Decimal("-0.000000000000000000000000000001"),
                                 "flag": True}).put()
        lossy = table.get_item(2, consistent_read=True)
        assert lossy["f"] == 4.5 and isinstance(lossy["f"], float)
        assert lossy["i"] == 42 and isinstance(lossy["i"], int)
        assert lossy["d"] == 1.12345678912345 and lossy["flag"] == 1
        exact = local_connection(port)
        exact.use_decimals()
        got = exact.get_table("types").get_item(2, consistent_read=True)
        assert got["d"] == decimal.Decimal("1.12345678912345")
        assert got["big"] == decimal.Decimal("12345678901234567890123456789012345678")
        assert got["tiny"] == decimal.Decimal("-1E-30"), got["tiny"]
        item = exact.get_table("types").new_item(2)
        item.add_attribute("d", decimal.Decimal("1E-37"))
        new = item.save(return_values="UPDATED_NEW")["Attributes"]["d"]
        assert new == decimal.Decimal("1.1234567891234500000000000000000000001"), new
        expect_error(DynamoDBValidationError,
                     lambda: table.new_item(3, attrs={"s": ""}).put())

    @step
    def update_throughput_and_delete_table():
        table = conn.get_table("types")
        table.update_throughput(10, 8)
        assert table.status in ("UPDATING", "ACTIVE"), table.status
        table.refresh(wait_for_active=True, retry_seconds=0.05)
        assert (table.read_units, table.write_units) == (10, 8)
        table.delete()
        wait_gone(conn, "types")
        expect_error(DynamoDBResponseError, lambda: conn.describe_table("types"),
                     "ResourceNotFoundException")

    @step
    def has_item_and_missing_items():
        posts = S["posts"]
        assert posts.has_item("rust", 100)
        assert posts.has_item("rust", 100, consistent_read=True)
        assert not posts.has_item("rust", 1)
        assert not posts.has_item("nobody", 1)
        expect_error(DynamoDBKeyNotFoundError, lambda: posts.get_item("rust", 1))

    @step
    def list_tables_paginates():
        names = conn.list_tables()
        assert names == sorted(names) and {"posts", "threads", "cond", "app_items"} <= set(names), names
        assert conn.list_tables(limit=2) == names[:2]
        first = conn.layer1.list_tables(limit=1)
        assert first["TableNames"] == names[:1] and first["LastEvaluatedTableName"] == names[0]

    @step
    def errors_map_to_boto_exceptions():
        expect_error(DynamoDBValidationError,
                     lambda: conn.layer1.get_item("posts", {"HashKeyElement": {"S": "rust"}}),
                     "ValidationException")
        expect_error(DynamoDBResponseError,
                     lambda: conn.create_table("posts", conn.create_schema("x", str), 1, 1),
                     "ResourceInUseException")


def run_signature_checks(verify_port):
    @step
    def verify_mode_accepts_the_right_key():
        conn = signing_as_dynamodb(local_connection(verify_port))
        assert conn.list_tables() == []
        table = create(conn, "signed", "id", str)
        table.new_item("k", attrs={"text": "caf\u00e9"}).put()
        assert table.get_item("k")["text"] == "caf\u00e9"
        redirect_all_connections(verify_port)
        try:
            regional = signing_as_dynamodb(boto.dynamodb.connect_to_region(
                "us-east-1", aws_access_key_id=KEY, aws_secret_access_key=SECRET))
            assert "signed" in regional.list_tables()
        finally:
            clear_redirect()

    @step
    def verify_mode_refuses_a_wrong_secret():
        conn = signing_as_dynamodb(local_connection(verify_port, secret="WRONG"))
        error = expect_error(DynamoDBResponseError, conn.list_tables, "InvalidSignatureException")
        assert error.status == 400
        assert error.error_message.startswith("The request signature we calculated"), error.error_message

    @step
    def verify_mode_refuses_an_unknown_key():
        conn = signing_as_dynamodb(local_connection(verify_port, key="NOBODY"))
        expect_error(DynamoDBResponseError, conn.list_tables, "UnrecognizedClientException")

    @step
    def verify_mode_refuses_another_scope():
        for service, region, expected in [
                ("localhost", "us-east-1", "Credential should be scoped to correct service: 'dynamodb'."),
                ("dynamodb", "eu-west-1", "Credential should be scoped to a valid region, not 'eu-west-1'.")]:
            conn = local_connection(verify_port)
            conn.layer1.auth_service_name = service
            conn.layer1.auth_region_name = region
            error = expect_error(DynamoDBResponseError, conn.list_tables, "InvalidSignatureException")
            assert error.error_message.startswith(expected), error.error_message


def run_transition_checks(delay_port):
    @step
    def transition_delay_shows_creating_updating_deleting():
        conn = local_connection(delay_port)
        started = time.time()
        table = conn.create_table("slow", conn.create_schema("id", str), 5, 5)
        assert table.status == "CREATING", table.status
        assert conn.describe_table("slow")["Table"]["TableStatus"] == "CREATING"
        expect_error(DynamoDBResponseError,
                     lambda: table.new_item("k", attrs={"a": "b"}).put(),
                     "ResourceNotFoundException")
        table.refresh(wait_for_active=True, retry_seconds=0.05)
        assert table.status == "ACTIVE" and time.time() - started >= 0.25
        table.new_item("k", attrs={"a": "b"}).put()
        table.update_throughput(10, 5)
        assert table.status == "UPDATING", table.status
        expect_error(DynamoDBResponseError, lambda: table.update_throughput(20, 5),
                     "ResourceInUseException")
        assert table.get_item("k", consistent_read=True)["a"] == "b"
        table.refresh(wait_for_active=True, retry_seconds=0.05)
        assert table.read_units == 10
        table.delete()
        assert table.status == "DELETING", table.status
        assert "slow" in conn.list_tables()
        wait_gone(conn, "slow")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--verify-port", type=int, required=True)
    parser.add_argument("--delay-port", type=int, required=True)
    args = parser.parse_args()
    run_tutorial(args.port)
    run_checks(args.port)
    run_signature_checks(args.verify_port)
    run_transition_checks(args.delay_port)
    print("boto interop: %d passed, %d failed" % (RESULTS["passed"], RESULTS["failed"]))
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
