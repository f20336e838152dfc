//! Query and Scan: ordered reads with conditions, `Limit`, 1 MB pages and
//! positional `ExclusiveStartKey` / `LastEvaluatedKey`.

use std::cmp::Ordering;
use std::ops::Bound;
use std::sync::Arc;

use serde::Serialize;

use dynamo_core::wire::ComparisonOperator as Op;

use super::catalog::Catalog;
use super::compare::{matches, validate_condition};
use super::decode::{Cond, Decoder, Obj, RawKey, as_obj, get, opt_bool, opt_i64, opt_obj};
use super::error::ApiError;
use super::items::{read_factor, required};
use super::output::{KeyOut, Projected, to_body, units};
use super::table::{KeyVal, PrimaryKey, SHARDS, Stored, Table};

/// Data read per Query/Scan page before it stops with a `LastEvaluatedKey`.
const PAGE_BYTES: usize = 1 << 20;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PageOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Vec<Projected<'a>>>,
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    scanned_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_evaluated_key: Option<KeyOut<'a>>,
    consumed_capacity_units: f64,
}

/// Options shared by Query and Scan.
struct Paging {
    names: Option<Vec<String>>,
    limit: usize,
    count_only: bool,
}

fn decode_paging(d: &mut Decoder, obj: &Obj) -> Result<Paging, ApiError> {
    let names = d.names(obj, "AttributesToGet", "attributesToGet")?;
    let limit = opt_i64(obj, "Limit")?;
    if let Some(l) = limit {
        d.bounded(l, "limit", 1, None);
    }
    let count_only = opt_bool(obj, "Count")?.unwrap_or(false);
    Ok(Paging {
        names,
        limit: limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX)),
        count_only,
    })
}

fn check_count(p: &Paging) -> Result<(), ApiError> {
    if p.count_only && p.names.is_some() {
        return Err(ApiError::validation(
            "Cannot specify the AttributesToGet when choosing to get only the Count",
        ));
    }
    Ok(())
}

/// The items a page collected and why it stopped.
#[derive(Default)]
struct Page {
    items: Vec<Arc<Stored>>,
    scanned: usize,
    bytes: usize,
    last: Option<PrimaryKey>,
}

fn render(page: &Page, p: &Paging, scanned: bool, capacity: f64) -> Result<Vec<u8>, ApiError> {
    let out = PageOut {
        items: (!p.count_only).then(|| {
            page.items
                .iter()
                .map(|s| Projected {
                    item: &s.item,
                    names: p.names.as_deref(),
                })
                .collect()
        }),
        count: page.items.len(),
        scanned_count: scanned.then_some(page.scanned),
        last_evaluated_key: page.last.as_ref().map(KeyOut),
        consumed_capacity_units: capacity,
    };
    to_body(&out)
}

fn tighter_lower(a: Bound<KeyVal>, b: Bound<KeyVal>) -> Bound<KeyVal> {
    let value = |x: &Bound<KeyVal>| match x {
        Bound::Included(v) | Bound::Excluded(v) => Some(v.clone()),
        Bound::Unbounded => None,
    };
    match (value(&a), value(&b)) {
        (None, _) => b,
        (_, None) => a,
        (Some(x), Some(y)) => match x.cmp(&y) {
            Ordering::Greater => a,
            Ordering::Less => b,
            Ordering::Equal if matches!(a, Bound::Excluded(_)) => a,
            Ordering::Equal => b,
        },
    }
}

fn tighter_upper(a: Bound<KeyVal>, b: Bound<KeyVal>) -> Bound<KeyVal> {
    let value = |x: &Bound<KeyVal>| match x {
        Bound::Included(v) | Bound::Excluded(v) => Some(v.clone()),
        Bound::Unbounded => None,
    };
    match (value(&a), value(&b)) {
        (None, _) => b,
        (_, None) => a,
        (Some(x), Some(y)) => match x.cmp(&y) {
            Ordering::Less => a,
            Ordering::Greater => b,
            Ordering::Equal if matches!(a, Bound::Excluded(_)) => a,
            Ordering::Equal => b,
        },
    }
}

/// False when the bounds describe an empty range (BTreeMap::range would panic).
fn non_empty(lo: &Bound<KeyVal>, hi: &Bound<KeyVal>) -> bool {
    match (lo, hi) {
        (Bound::Included(a), Bound::Included(b)) => a <= b,
        (Bound::Included(a) | Bound::Excluded(a), Bound::Included(b) | Bound::Excluded(b)) => a < b,
        _ => true,
    }
}

fn some_bound(b: Bound<KeyVal>) -> Bound<Option<KeyVal>> {
    match b {
        Bound::Included(v) => Bound::Included(Some(v)),
        Bound::Excluded(v) => Bound::Excluded(Some(v)),
        Bound::Unbounded => Bound::Unbounded,
    }
}

/// Range-key bounds implied by a validated RangeKeyCondition.
fn condition_bounds(
    cond: Option<&Cond>,
    ty: &super::table::KeyDef,
) -> (Bound<KeyVal>, Bound<KeyVal>) {
    let Some(cond) = cond else {
        return (Bound::Unbounded, Bound::Unbounded);
    };
    let vals: Vec<KeyVal> = cond.values.iter().filter_map(|v| ty.accept(v)).collect();
    match (cond.op, vals.as_slice()) {
        (Op::Eq, [v]) => (Bound::Included(v.clone()), Bound::Included(v.clone())),
        (Op::Lt, [v]) => (Bound::Unbounded, Bound::Excluded(v.clone())),
        (Op::Le, [v]) => (Bound::Unbounded, Bound::Included(v.clone())),
        (Op::Gt, [v]) => (Bound::Excluded(v.clone()), Bound::Unbounded),
        (Op::Ge | Op::BeginsWith, [v]) => (Bound::Included(v.clone()), Bound::Unbounded),
        (Op::Between, [a, b]) => (Bound::Included(a.clone()), Bound::Included(b.clone())),
        _ => (Bound::Unbounded, Bound::Unbounded),
    }
}

struct QueryPlan {
    hash: KeyVal,
    cond: Option<Cond>,
    forward: bool,
    start: Option<KeyVal>,
}

/// Query's members as decoded, before the table is known.
struct QueryRequest {
    hash: Option<dynamo_core::AttributeValue>,
    cond: Option<Cond>,
    esk: Option<RawKey>,
    forward: bool,
}

fn plan_query(req: QueryRequest, table: &Table) -> Result<QueryPlan, ApiError> {
    let Some(range_def) = &table.schema.range else {
        return Err(ApiError::validation(
            "Query can be performed only on a table with a HASH,RANGE key schema",
        ));
    };
    let type_error =
        || ApiError::invalid_parameter("Condition parameter type does not match schema type");
    let hash = table
        .schema
        .hash
        .accept(&required(req.hash)?)
        .ok_or_else(type_error)?;
    if let Some(cond) = &req.cond {
        if !cond.op.is_range_key_operator() {
            return Err(ApiError::validation(
                "Attempted conditional constraint is not an indexable operation",
            ));
        }
        validate_condition(cond, false)?;
        if cond.values.iter().any(|v| range_def.accept(v).is_none()) {
            return Err(type_error());
        }
    }
    let start = match req.esk {
        Some(raw) => {
            let key = table.schema.key_of(&raw)?;
            if key.hash != hash {
                return Err(ApiError::validation("The provided starting key is invalid"));
            }
            let range = key.range.as_ref().map(KeyVal::to_value);
            if let Some(cond) = &req.cond
                && !matches(cond, range.as_ref())
            {
                return Err(ApiError::validation(
                    "The provided starting key is outside query boundaries based on provided conditions",
                ));
            }
            key.range
        }
        None => None,
    };
    Ok(QueryPlan {
        hash,
        cond: req.cond,
        forward: req.forward,
        start,
    })
}

/// Query.
pub(crate) fn query(catalog: &Catalog, obj: &Obj) -> Result<Vec<u8>, ApiError> {
    let mut d = Decoder::new();
    let name = d.request_table(obj)?;
    let hash = match get(obj, "HashKeyValue") {
        Some(v) => d.attr(v)?,
        None => {
            d.missing("hashKeyValue");
            None
        }
    };
    let cond = match get(obj, "RangeKeyCondition") {
        Some(c) => d.condition(c, "rangeKeyCondition")?,
        None => None,
    };
    let esk = d.key(get(obj, "ExclusiveStartKey"), "exclusiveStartKey", false)?;
    let paging = decode_paging(&mut d, obj)?;
    let consistent = opt_bool(obj, "ConsistentRead")?.unwrap_or(false);
    let forward = opt_bool(obj, "ScanIndexForward")?.unwrap_or(true);
    d.finish()?;
    check_count(&paging)?;
    let table = catalog.usable(&name)?;
    let req = QueryRequest {
        hash,
        cond,
        esk,
        forward,
    };
    let plan = plan_query(req, &table)?;
    let page = run_query(&table, &plan, &paging);
    render(
        &page,
        &paging,
        false,
        units(page.bytes) * read_factor(consistent),
    )
}

fn run_query(table: &Table, plan: &QueryPlan, paging: &Paging) -> Page {
    let mut page = Page::default();
    let Some(range_def) = &table.schema.range else {
        return page;
    };
    let (mut lo, mut hi) = condition_bounds(plan.cond.as_ref(), range_def);
    if let Some(start) = &plan.start {
        if plan.forward {
            lo = tighter_lower(lo, Bound::Excluded(start.clone()));
        } else {
            hi = tighter_upper(hi, Bound::Excluded(start.clone()));
        }
    }
    if !non_empty(&lo, &hi) {
        return page;
    }
    let shard = table.read_shard_of(&plan.hash);
    let Some(part) = shard.parts.get(&plan.hash) else {
        return page;
    };
    let range = part.range((some_bound(lo), some_bound(hi)));
    let iter: Box<dyn Iterator<Item = (&Option<KeyVal>, &Arc<Stored>)>> = if plan.forward {
        Box::new(range)
    } else {
        Box::new(range.rev())
    };
    for (range_key, stored) in iter {
        if let Some(cond) = &plan.cond {
            let attr = stored.item.get(&range_def.name);
            if !matches(cond, attr) {
                continue;
            }
        }
        page.bytes += stored.size;
        page.items.push(Arc::clone(stored));
        if page.items.len() >= paging.limit || page.bytes >= PAGE_BYTES {
            page.last = Some(PrimaryKey {
                hash: plan.hash.clone(),
                range: range_key.clone(),
            });
            break;
        }
    }
    page
}

fn decode_filter(d: &mut Decoder, obj: &Obj) -> Result<Vec<(String, Cond)>, ApiError> {
    let Some(map) = opt_obj(obj, "ScanFilter")? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(map.len());
    for (name, v) in map {
        if v.is_null() {
            continue;
        }
        as_obj(v)?;
        if let Some(cond) = d.condition(v, &format!("scanFilter.{name}.member"))? {
            out.push((name.clone(), cond));
        }
    }
    Ok(out)
}

/// Scan.
pub(crate) fn scan(catalog: &Catalog, obj: &Obj) -> Result<Vec<u8>, ApiError> {
    let mut d = Decoder::new();
    let name = d.request_table(obj)?;
    let filter = decode_filter(&mut d, obj)?;
    let esk = d.key(get(obj, "ExclusiveStartKey"), "exclusiveStartKey", false)?;
    let paging = decode_paging(&mut d, obj)?;
    d.finish()?;
    check_count(&paging)?;
    for (_, cond) in &filter {
        validate_condition(cond, true)?;
    }
    let table = catalog.usable(&name)?;
    let start = esk.map(|raw| table.schema.key_of(&raw)).transpose()?;
    let page = run_scan(&table, start.as_ref(), &filter, &paging);
    render(&page, &paging, true, units(page.bytes) * 0.5)
}

fn run_scan(
    table: &Table,
    start: Option<&PrimaryKey>,
    filter: &[(String, Cond)],
    paging: &Paging,
) -> Page {
    let mut page = Page::default();
    let first = start.map_or(0, |k| Table::shard_index(&k.hash));
    for index in first..SHARDS {
        let shard = table.read_shard(index);
        let from = start.filter(|_| index == first);
        let parts = match from {
            Some(k) => shard.parts.range(k.hash.clone()..),
            None => shard.parts.range(..),
        };
        for (hash, part) in parts {
            let entries = match from {
                Some(k) if *hash == k.hash => {
                    part.range((Bound::Excluded(k.range.clone()), Bound::Unbounded))
                }
                _ => part.range(..),
            };
            for (range, stored) in entries {
                page.scanned += 1;
                page.bytes += stored.size;
                let keep = filter
                    .iter()
                    .all(|(name, cond)| matches(cond, stored.item.get(name)));
                if keep {
                    page.items.push(Arc::clone(stored));
                }
                if page.scanned >= paging.limit || page.bytes >= PAGE_BYTES {
                    page.last = Some(PrimaryKey {
                        hash: hash.clone(),
                        range: range.clone(),
                    });
                    return page;
                }
            }
        }
    }
    page
}
