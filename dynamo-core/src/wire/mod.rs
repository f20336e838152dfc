//! Wire types of the 2011-12-05 API: one request and one response struct per
//! operation, with the exact JSON member names of the service.
//!
//! The API has been frozen since 2011, so these structs are exhaustive and
//! their fields public: build them with struct literals.

mod borrowed;
mod list;
mod op;
mod ops;
#[cfg(feature = "client")]
mod put;
mod shapes;

pub use borrowed::{Decoded, ItemRead, ItemsPage, ReadsItems};
pub use list::AttributeList;
pub use op::{Op, Plane, TARGET_PREFIX};
pub use ops::*;
#[cfg(feature = "client")]
pub(crate) use put::TypedPutItemInput;
pub use shapes::*;
