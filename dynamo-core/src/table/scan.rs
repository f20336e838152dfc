//! Query and Scan: typed conditions, pages with typed cursors, and streams
//! that fetch one page at a time.

use std::collections::VecDeque;

use futures_core::Stream;
use futures_util::stream;

use crate::attr::Projection;
use crate::cursor::Cursor;
use crate::error::Error;
use crate::expr::filter::Filter;
use crate::expr::range::RangeCondition;
use crate::item::DynamoItem;
use crate::wire::{Decoded, ItemsPage, Key, Op, QueryInput, ScanInput};

use super::{Table, projected, projection};

/// One page of a query or scan.
#[derive(Debug)]
pub struct Page<T> {
    /// Items of this page that fit `T` (empty for count-only requests).
    pub items: Vec<T>,
    /// Items of this page that do not fit `T`, in page order: each a
    /// conversion error whose [`Error::item_key`] is the stored item's key.
    pub failed: Vec<Error>,
    /// Items matched in this page.
    pub count: u64,
    /// Items evaluated before the filter (scans only).
    pub scanned_count: Option<u64>,
    /// Read capacity the page consumed.
    pub consumed_capacity: Option<f64>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor<T>>,
}

/// One page of a query or scan read as raw items, whether or not they fit
/// `T`: for finding and repairing stored data.
#[derive(Debug)]
pub struct RawPage<T> {
    /// The page's items as stored.
    pub items: Vec<crate::Item>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor<T>>,
}

/// The request of either kind.
#[derive(Clone)]
enum Request {
    Query(QueryInput),
    Scan(ScanInput),
}

impl Request {
    fn set_start(&mut self, key: Option<Key>) {
        match self {
            Request::Query(q) => q.exclusive_start_key = key,
            Request::Scan(s) => s.exclusive_start_key = key,
        }
    }

    fn set_limit(&mut self, limit: Option<i32>) {
        match self {
            Request::Query(q) => q.limit = limit,
            Request::Scan(s) => s.limit = limit,
        }
    }

    fn set_count(&mut self) {
        match self {
            Request::Query(q) => q.count = Some(true),
            Request::Scan(s) => s.count = Some(true),
        }
    }

    fn set_attributes(&mut self, names: Vec<String>) {
        match self {
            Request::Query(q) => q.attributes_to_get = Some(names),
            Request::Scan(s) => s.attributes_to_get = Some(names),
        }
    }
}

impl<T: DynamoItem> Page<T> {
    /// Decodes a Query or Scan response body straight into `T`s, through
    /// the wire layer's borrowed decoding ([`ItemsPage`]): no map is built
    /// and no name is copied. Items that do not fit `T` go to
    /// [`Page::failed`].
    ///
    /// # Errors
    /// A decode error when the body is not a Query/Scan response, an
    /// invalid input error when the `LastEvaluatedKey` does not fit `T`.
    pub fn from_response_body(body: &[u8]) -> Result<Page<T>, Error> {
        ItemsPage::from_body(body)
            .map_err(|e| Error::decode(e, None))
            .and_then(|wire| Page::from_wire(wire, None))
    }

    /// The typed page of a decoded response from `table`.
    fn from_wire(wire: ItemsPage<Decoded<T>>, table: Option<&str>) -> Result<Page<T>, Error> {
        let mut items = Vec::new();
        let mut failed = Vec::new();
        for item in wire.items.unwrap_or_default() {
            match item.0 {
                Ok(item) => items.push(item),
                Err(failure) => {
                    let (e, key) = *failure;
                    failed.push(BadItem::error(e, key, table));
                }
            }
        }
        let count = |c: Option<i64>| c.and_then(|c| u64::try_from(c).ok());
        Ok(Page {
            items,
            failed,
            count: count(wire.count).unwrap_or(0),
            scanned_count: count(wire.scanned_count),
            consumed_capacity: wire.consumed_capacity_units,
            next: wire.last_evaluated_key.map(Cursor::from_key).transpose()?,
        })
    }
}

/// The cause of a conversion error for a stored item that does not fit
/// the type: its key (when present) and the reason.
#[derive(Debug)]
pub struct BadItem {
    pub(crate) key: Option<Key>,
    source: crate::convert::ConvertError,
}

impl BadItem {
    fn error(source: crate::convert::ConvertError, key: Option<Key>, table: Option<&str>) -> Error {
        Error::conversion_of_item(source.to_string(), BadItem { key, source }).with_table(table)
    }
}

impl std::fmt::Display for BadItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a stored item does not fit the type: {}", self.source)
    }
}

impl std::error::Error for BadItem {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Shared state of a query or scan.
struct Paging<T> {
    table: Table<T>,
    request: Result<Request, Error>,
    /// Most items in all (None: all of them).
    limit: Option<u64>,
    /// Items per call (the service's `Limit`).
    page_size: Option<u32>,
    /// Where [`Paging::pages`] starts (None: the beginning).
    start: Option<Key>,
}

impl<T: DynamoItem> Paging<T> {
    fn per_call_limit(&self, delivered: u64) -> Option<i32> {
        let remaining = self.limit.map(|l| l.saturating_sub(delivered));
        let size = self.page_size.map(u64::from);
        let n = match (remaining, size) {
            (Some(r), Some(s)) => Some(r.min(s)),
            (r, s) => r.or(s),
        };
        n.map(|n| i32::try_from(n).unwrap_or(i32::MAX))
    }

    async fn fetch(&self, request: &Request) -> Result<Page<T>, Error> {
        if let Some(l) = self.table.limiter() {
            l.ready().await;
        }
        let client = self.table.client();
        let table = Some(self.table.name());
        let (operation, page) = match request {
            Request::Query(q) => (Op::Query, client.call_items(q, table).await?),
            Request::Scan(s) => (Op::Scan, client.call_items(s, table).await?),
        };
        let page = Page::from_wire(page, table).map_err(|e| e.with_table(table))?;
        self.table.charge(operation, page.consumed_capacity);
        Ok(page)
    }

    async fn page(self, start: Option<Cursor<T>>) -> Result<Page<T>, Error> {
        let mut request = match self.request {
            Ok(ref r) => r.clone(),
            Err(e) => return Err(e.with_table(Some(self.table.name()))),
        };
        request.set_start(start.map(Cursor::into_wire));
        request.set_limit(self.per_call_limit(0));
        self.fetch(&request).await
    }

    async fn raw_page(self, start: Option<Cursor<T>>) -> Result<RawPage<T>, Error> {
        let limit = self.per_call_limit(0);
        let mut request = self
            .request
            .map_err(|e| e.with_table(Some(self.table.name())))?;
        request.set_start(start.map(Cursor::into_wire));
        request.set_limit(limit);
        if let Some(l) = self.table.limiter() {
            l.ready().await;
        }
        let client = self.table.client();
        let table = Some(self.table.name());
        let (operation, page): (Op, ItemsPage<crate::Item>) = match &request {
            Request::Query(q) => (Op::Query, client.call_items(q, table).await?),
            Request::Scan(s) => (Op::Scan, client.call_items(s, table).await?),
        };
        self.table.charge(operation, page.consumed_capacity_units);
        Ok(RawPage {
            items: page.items.unwrap_or_default(),
            next: page
                .last_evaluated_key
                .map(Cursor::from_key)
                .transpose()
                .map_err(|e| e.with_table(table))?,
        })
    }

    fn pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'static {
        struct State<T> {
            paging: Paging<T>,
            start: Option<Key>,
            delivered: u64,
            done: bool,
        }
        let start = self.start.clone();
        let state = State {
            paging: self,
            start,
            delivered: 0,
            done: false,
        };
        stream::unfold(state, |mut s| async move {
            if s.done || s.paging.limit.is_some_and(|l| s.delivered >= l) {
                return None;
            }
            let mut request = match &s.paging.request {
                Ok(r) => r.clone(),
                Err(_) => {
                    // Report the builder's own error once, kind intact.
                    s.done = true;
                    let spent = Err(Error::invalid_input("the request was already reported"));
                    let error = std::mem::replace(&mut s.paging.request, spent).err()?;
                    let error = error.with_table(Some(s.paging.table.name()));
                    return Some((Err(error), s));
                }
            };
            request.set_start(s.start.take());
            request.set_limit(s.paging.per_call_limit(s.delivered));
            match s.paging.fetch(&request).await {
                Ok(page) => {
                    s.start = page.next.as_ref().map(|c| c.as_wire().clone());
                    s.done = s.start.is_none();
                    s.delivered += page.count;
                    Some((Ok(page), s))
                }
                Err(e) => {
                    s.done = true;
                    Some((Err(e), s))
                }
            }
        })
    }

    fn items(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        let pages = Box::pin(self.pages());
        stream::unfold(
            (pages, VecDeque::<Result<T, Error>>::new()),
            |(mut pages, mut buffer)| async move {
                loop {
                    if let Some(item) = buffer.pop_front() {
                        return Some((item, (pages, buffer)));
                    }
                    match futures_util::StreamExt::next(&mut pages).await? {
                        Ok(page) => {
                            buffer.extend(page.items.into_iter().map(Ok));
                            buffer.extend(page.failed.into_iter().map(Err));
                        }
                        Err(e) => return Some((Err(e), (pages, buffer))),
                    }
                }
            },
        )
    }

    async fn count(mut self) -> Result<u64, Error> {
        if let Ok(r) = &mut self.request {
            r.set_count();
        }
        let mut total = 0;
        let mut pages = Box::pin(self.pages());
        while let Some(page) = futures_util::StreamExt::next(&mut pages).await {
            total += page?.count;
        }
        Ok(total)
    }
}

macro_rules! paging_methods {
    ($builder:ident) => {
        impl<T: DynamoItem> $builder<T> {
            /// Returns at most `n` items in all.
            pub fn limit(mut self, n: u64) -> $builder<T> {
                self.paging.limit = Some(n);
                self
            }

            /// Asks for at most `n` items per call (the service's `Limit`).
            pub fn page_size(mut self, n: u32) -> $builder<T> {
                if n == 0 {
                    self.paging.request = Err(Error::invalid_input("page size must be at least 1"));
                }
                self.paging.page_size = Some(n);
                self
            }

            /// Makes [`Self::pages`], [`Self::stream`] and [`Self::all`]
            /// start after `cursor` (a page's [`Page::next`]) instead of at
            /// the beginning.
            pub fn start(mut self, cursor: Cursor<T>) -> $builder<T> {
                self.paging.start = Some(cursor.into_wire());
                self
            }

            /// Reads only these attributes of `T`, and its key: one handle
            /// or a tuple of them (see [`Get::attributes`](super::Get::attributes)).
            /// The fields left out must be optional, defaulted or sets in
            /// `T`, or the item is a [`BadItem`].
            pub fn attributes(self, projection: impl Projection<T>) -> $builder<T> {
                self.project(projected(&projection))
            }

            /// Reads only the attributes named, and the key: for attributes
            /// that `T` has no handle for (those a `#[dynamo(flatten)]`
            /// field collects).
            pub fn attributes_named<I, S>(self, names: I) -> $builder<T>
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                self.project(names.into_iter().map(Into::into).collect())
            }

            fn project(mut self, names: Vec<String>) -> $builder<T> {
                match projection::<T>(names) {
                    Err(e) => self.paging.request = Err(e),
                    Ok(names) => {
                        if let Ok(r) = &mut self.paging.request {
                            r.set_attributes(names);
                        }
                    }
                }
                self
            }

            /// Fetches one page, starting after `start` (from the beginning
            /// when `None`).
            ///
            /// # Errors
            /// The client's errors, and conversion errors for items that do
            /// not fit `T`.
            pub async fn page(self, start: Option<Cursor<T>>) -> Result<Page<T>, Error> {
                self.paging.page(start).await
            }

            /// Fetches one page as raw items (see [`RawPage`]), starting
            /// after `start`: items that do not fit `T` can be read and
            /// repaired.
            ///
            /// # Errors
            /// The client's errors.
            pub async fn raw_page(self, start: Option<Cursor<T>>) -> Result<RawPage<T>, Error> {
                self.paging.raw_page(start).await
            }

            /// All pages, fetched one at a time as the stream is polled.
            pub fn pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'static {
                self.paging.pages()
            }

            /// All items, fetched a page at a time as the stream is polled:
            /// memory holds one page, not the result set. An item that does
            /// not fit `T` is an `Err` (see [`Error::item_key`]) after the
            /// good items of its page, and the stream goes on.
            pub fn stream(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
                self.paging.items()
            }

            /// Collects every item into a vector.
            ///
            /// # Errors
            /// The first error of [`Self::stream`], including an item that
            /// does not fit `T`: nothing is dropped silently.
            pub async fn all(self) -> Result<Vec<T>, Error> {
                let mut out = Vec::new();
                let mut items = Box::pin(self.stream());
                while let Some(item) = futures_util::StreamExt::next(&mut items).await {
                    out.push(item?);
                }
                Ok(out)
            }

            /// Counts matching items across all pages without fetching them.
            ///
            /// # Errors
            /// The client's errors.
            pub async fn count(self) -> Result<u64, Error> {
                self.paging.count().await
            }
        }
    };
}

/// A Query on the hash key, with an optional typed range condition.
/// Built by [`Table::query`].
#[must_use = "a query does nothing until its results are asked for"]
pub struct Query<T> {
    paging: Paging<T>,
}

/// A Scan of the whole table with typed filters. Built by [`Table::scan`].
#[must_use = "a scan does nothing until its results are asked for"]
pub struct Scan<T> {
    paging: Paging<T>,
}

paging_methods!(Query);
paging_methods!(Scan);

impl<T: DynamoItem> Table<T> {
    /// Items whose hash key equals `hash`, in range key order. Only tables
    /// with a range key can be queried, so this does not compile for a
    /// hash-only `T`.
    pub fn query(&self, hash: T::HashKey) -> Query<T>
    where
        T: crate::item::HasRangeKey,
    {
        let request = crate::convert::ToAttribute::to_attribute(&hash)
            .map_err(Error::conversion)
            .and_then(|v| v.ok_or_else(|| Error::invalid_input("hash key value is empty")))
            .map(|hash_key_value| {
                Request::Query(QueryInput {
                    table_name: self.name().to_owned(),
                    attributes_to_get: None,
                    limit: None,
                    consistent_read: None,
                    count: None,
                    hash_key_value,
                    range_key_condition: None,
                    scan_index_forward: None,
                    exclusive_start_key: None,
                })
            });
        Query {
            paging: Paging {
                table: self.clone(),
                request,
                limit: None,
                page_size: None,
                start: None,
            },
        }
    }

    /// Every item of the table, optionally filtered.
    pub fn scan(&self) -> Scan<T> {
        Scan {
            paging: Paging {
                table: self.clone(),
                request: Ok(Request::Scan(ScanInput {
                    table_name: self.name().to_owned(),
                    attributes_to_get: None,
                    limit: None,
                    count: None,
                    scan_filter: None,
                    exclusive_start_key: None,
                })),
                limit: None,
                page_size: None,
                start: None,
            },
        }
    }
}

impl<T: DynamoItem> Query<T> {
    /// Only items whose range key meets `condition`.
    pub fn range(mut self, condition: RangeCondition<T>) -> Query<T> {
        match condition.into_wire() {
            Ok(c) => {
                if let Ok(Request::Query(q)) = &mut self.paging.request {
                    q.range_key_condition = Some(c);
                }
            }
            Err(e) => self.paging.request = Err(Error::conversion(e)),
        }
        self
    }

    /// Descending range key order.
    pub fn reverse(mut self) -> Query<T> {
        if let Ok(Request::Query(q)) = &mut self.paging.request {
            q.scan_index_forward = Some(false);
        }
        self
    }

    /// Strongly consistent reads.
    pub fn consistent(mut self) -> Query<T> {
        if let Ok(Request::Query(q)) = &mut self.paging.request {
            q.consistent_read = Some(true);
        }
        self
    }
}

impl<T: DynamoItem> Scan<T> {
    /// Only items that meet every condition of `filter`.
    pub fn filter(mut self, filter: Filter<T>) -> Scan<T> {
        match filter.into_wire() {
            Ok(conditions) => {
                if let Ok(Request::Scan(s)) = &mut self.paging.request {
                    s.scan_filter
                        .get_or_insert_with(Default::default)
                        .extend(conditions);
                }
            }
            Err(e) => self.paging.request = Err(Error::conversion(e)),
        }
        self
    }
}
