//! The engine: tables and items in memory (written through to disk with
//! [`Engine::open`]), all 13 operations of the 2011-12-05 API with the
//! service's validation and semantics.
//!
//! [`Engine::execute`] takes an operation name (and [`Engine::execute_op`]
//! a [`dynamo_core::wire::Op`]) and a raw JSON body and returns the JSON
//! response body or an [`ApiError`]; the HTTP layer adds headers.
//!
//! # Design
//! * Requests are parsed into a compact JSON tree (`json`: objects as
//!   sorted vectors, not `BTreeMap`s), then decoded Coral-style (`decode`):
//!   wrong JSON types are `SerializationException`, constraint violations
//!   are reported all together, semantic problems after that.
//! * A durable engine (`store`) queues every table and item change, under
//!   the lock that orders it, to a redb writer thread, and answers a write
//!   only after its group commit is fsynced.
//! * The catalog (`catalog`) is an `RwLock<BTreeMap<name, Arc<Table>>>`
//!   locked only to find, add or remove a table: no lock spans a request.
//! * Each table (`table`) has 16 shards chosen by a fixed hash of the hash
//!   key; a shard is an `RwLock` over `BTreeMap<hash key, BTreeMap<range key,
//!   Arc<item>>>`. Single-item operations lock one shard, so conditional
//!   writes and `ADD` are linearizable per item; reads clone an `Arc`.
//! * Table lifecycle (CREATING → ACTIVE, UPDATING → ACTIVE, DELETING → gone)
//!   completes lazily when the table is next looked at after
//!   [`EngineConfig::transition_delay`].
//!
//! # Example
//! ```
//! use dynamo_local::engine::{Engine, EngineConfig};
//! let engine = Engine::new(EngineConfig::default());
//! let body = engine.execute("ListTables", b"{}")?;
//! assert_eq!(body, br#"{"TableNames":[]}"#);
//! # Ok::<(), dynamo_local::engine::ApiError>(())
//! ```

mod batch;
mod catalog;
mod compare;
mod decode;
mod error;
mod items;
mod json;
mod output;
mod query;
mod store;
mod table;
mod update;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use error::ApiError;

use dynamo_core::wire::{Op, Plane};

use crate::faults::Faults;
use catalog::Catalog;
use store::Store;

/// Engine settings. The defaults suit tests: no delays, no control-plane
/// limits; [`EngineConfig::with_service_limits`] turns on the service's.
#[derive(Debug, Clone, Default)]
pub struct EngineConfig {
    /// Time a table spends CREATING, UPDATING or DELETING. Zero (the default)
    /// means the next call already sees ACTIVE (or the table gone).
    pub transition_delay: Duration,
    /// Time a table spends CREATING; `None` = `transition_delay`.
    pub create_delay: Option<Duration>,
    /// Time a table spends UPDATING; `None` = `transition_delay`.
    pub update_delay: Option<Duration>,
    /// Time a table spends DELETING; `None` = `transition_delay`.
    pub delete_delay: Option<Duration>,
    /// Enforce the 2012 UpdateTable rules (one decrease per UTC day, increase at
    /// most double) as `LimitExceededException`. Off by default.
    pub strict_throughput_rules: bool,
    /// Maximum number of tables; `None` = 256 as in the 2012 service.
    pub max_tables: Option<usize>,
    /// Maximum tables CREATING/UPDATING/DELETING at once; `None` = unlimited.
    pub max_concurrent_transitions: Option<usize>,
}

/// The service's limit on tables CREATING, UPDATING or DELETING at once.
pub const SERVICE_MAX_CONCURRENT_TRANSITIONS: usize = 10;

impl EngineConfig {
    /// This configuration with the service's documented control-plane limits
    /// on: at most [`SERVICE_MAX_CONCURRENT_TRANSITIONS`] tables in
    /// transition at once, throughput at most doubled per UpdateTable, one
    /// decrease per UTC day (the `dynamo-local` binary's default).
    ///
    /// ```
    /// use dynamo_local::engine::EngineConfig;
    /// let config = EngineConfig::default().with_service_limits();
    /// assert!(config.strict_throughput_rules);
    /// assert_eq!(config.max_concurrent_transitions, Some(10));
    /// ```
    #[must_use]
    pub fn with_service_limits(mut self) -> EngineConfig {
        self.strict_throughput_rules = true;
        self.max_concurrent_transitions = Some(SERVICE_MAX_CONCURRENT_TRANSITIONS);
        self
    }

    pub(crate) fn create_delay(&self) -> Duration {
        self.create_delay.unwrap_or(self.transition_delay)
    }

    pub(crate) fn update_delay(&self) -> Duration {
        self.update_delay.unwrap_or(self.transition_delay)
    }

    pub(crate) fn delete_delay(&self) -> Duration {
        self.delete_delay.unwrap_or(self.transition_delay)
    }
}

/// True for the operations that may change tables or items (a durable
/// engine waits for their commit).
fn writes(op: Op) -> bool {
    matches!(
        op,
        Op::PutItem
            | Op::DeleteItem
            | Op::UpdateItem
            | Op::BatchWriteItem
            | Op::CreateTable
            | Op::UpdateTable
            | Op::DeleteTable
    )
}

#[derive(Debug)]
struct Inner {
    config: EngineConfig,
    catalog: Catalog,
    faults: Faults,
    store: Option<Arc<Store>>,
}

impl Drop for Inner {
    /// Lets the store's writer commit what is queued, then stop.
    fn drop(&mut self) {
        if let Some(store) = &self.store {
            store.close();
        }
    }
}

/// The in-memory DynamoDB. Cheap to clone (shared state); `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl Engine {
    /// An engine with no tables, in memory only.
    pub fn new(config: EngineConfig) -> Engine {
        Engine {
            inner: Arc::new(Inner {
                config,
                catalog: Catalog::default(),
                faults: Faults::default(),
                store: None,
            }),
        }
    }

    /// An engine whose tables and items live in `dir` (created if needed):
    /// what it held when it last stopped, or was killed, is loaded back,
    /// and every write is on disk (fsynced, see `store`) before it is
    /// acknowledged.
    ///
    /// # Errors
    /// Fails when the directory or its database cannot be opened or read.
    ///
    /// # Example
    /// ```no_run
    /// use dynamo_local::engine::{Engine, EngineConfig};
    /// let engine = Engine::open(EngineConfig::default(), "/var/lib/dynamo-local".as_ref())?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn open(config: EngineConfig, dir: &Path) -> std::io::Result<Engine> {
        let (store, restored) = Store::open(dir)?;
        let catalog = Catalog::default();
        catalog.restore(&store, restored)?;
        Ok(Engine {
            inner: Arc::new(Inner {
                config,
                catalog,
                faults: Faults::default(),
                store: Some(store),
            }),
        })
    }

    /// True when writes wait for the disk ([`Engine::open`]).
    pub fn is_durable(&self) -> bool {
        self.inner.store.is_some()
    }

    /// Runs one operation. `operation` is the name after `DynamoDB_20111205.`;
    /// `body` the raw JSON request.
    ///
    /// # Errors
    /// The service error to send, e.g. `ValidationException` or
    /// `ResourceNotFoundException`; `UnknownOperationException` for an unknown name.
    pub fn execute(&self, operation: &str, body: &[u8]) -> Result<Vec<u8>, ApiError> {
        let op = Op::from_name(operation).ok_or_else(ApiError::unknown_operation)?;
        self.execute_op(op, body)
    }

    /// Runs one operation of [`dynamo_core::wire::Op`]'s table; see [`Engine::execute`].
    ///
    /// # Errors
    /// The service error to send.
    pub fn execute_op(&self, op: Op, body: &[u8]) -> Result<Vec<u8>, ApiError> {
        let faults = &self.inner.faults;
        match faults.take_failure() {
            Some(503) => return Err(ApiError::unavailable()),
            Some(_) => return Err(ApiError::internal()),
            None => {}
        }
        if op.plane() == Plane::Data && faults.take_throttle() {
            return Err(ApiError::throughput_exceeded());
        }
        if body.is_empty() {
            return Err(ApiError::serialization());
        }
        let obj = decode::root(body)?;
        let catalog = &self.inner.catalog;
        let config = &self.inner.config;
        let output = self.run(op, catalog, config, &obj)?;
        if let Some(store) = &self.inner.store
            && writes(op)
        {
            store.sync()?;
        }
        Ok(output)
    }

    fn run(
        &self,
        op: Op,
        catalog: &Catalog,
        config: &EngineConfig,
        obj: &decode::Obj,
    ) -> Result<Vec<u8>, ApiError> {
        let faults = &self.inner.faults;
        match op {
            Op::CreateTable => catalog.create(config, obj),
            Op::DescribeTable => catalog.describe(obj),
            Op::ListTables => catalog.list(obj),
            Op::UpdateTable => catalog.update(config, obj),
            Op::DeleteTable => catalog.delete(config, obj),
            Op::GetItem => items::get_item(catalog, obj),
            Op::PutItem => items::put_item(catalog, obj),
            Op::DeleteItem => items::delete_item(catalog, obj),
            Op::UpdateItem => update::update_item(catalog, obj),
            Op::Query => query::query(catalog, obj),
            Op::Scan => query::scan(catalog, obj),
            Op::BatchGetItem => batch::batch_get(catalog, faults, obj),
            Op::BatchWriteItem => batch::batch_write(catalog, faults, obj),
        }
    }

    /// The fault-injection switches.
    pub fn faults(&self) -> &Faults {
        &self.inner.faults
    }
}
