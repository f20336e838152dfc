//! The one table of the 13 operations: name, `X-Amz-Target`, plane and cost
//! class. The client, the wire types and dynamo-local all read it, so an
//! operation's facts are written once.

/// The `X-Amz-Target` prefix of API version 2011-12-05.
pub const TARGET_PREFIX: &str = "DynamoDB_20111205.";

/// Whether an operation works on items or on tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plane {
    /// Reads or writes items (the service throttles these per table).
    Data,
    /// Lists, creates, describes, updates or deletes tables.
    Control,
}

/// One of the 13 operations of API version 2011-12-05.
///
/// ```
/// use dynamo_core::wire::{Op, Plane};
///
/// let op = Op::from_target("DynamoDB_20111205.PutItem").unwrap();
/// assert_eq!(op, Op::PutItem);
/// assert_eq!(op.name(), "PutItem");
/// assert_eq!(op.plane(), Plane::Data);
/// assert_eq!(Op::ALL.len(), 13);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    /// BatchGetItem.
    BatchGetItem,
    /// BatchWriteItem.
    BatchWriteItem,
    /// CreateTable.
    CreateTable,
    /// DeleteItem.
    DeleteItem,
    /// DeleteTable.
    DeleteTable,
    /// DescribeTable.
    DescribeTable,
    /// GetItem.
    GetItem,
    /// ListTables.
    ListTables,
    /// PutItem.
    PutItem,
    /// Query.
    Query,
    /// Scan.
    Scan,
    /// UpdateItem.
    UpdateItem,
    /// UpdateTable.
    UpdateTable,
}

/// The facts of one operation, one row per operation.
struct Row {
    op: Op,
    name: &'static str,
    target: &'static str,
    plane: Plane,
    single_item: bool,
}

macro_rules! rows {
    ($($op:ident: $plane:ident, $single:literal;)*) => {
        [$(Row {
            op: Op::$op,
            name: stringify!($op),
            target: concat!("DynamoDB_20111205.", stringify!($op)),
            plane: Plane::$plane,
            single_item: $single,
        },)*]
    };
}

/// Indexed by `Op as usize`; [`Op::ALL`] follows the same order.
const TABLE: [Row; 13] = rows! {
    BatchGetItem: Data, false;
    BatchWriteItem: Data, false;
    CreateTable: Control, false;
    DeleteItem: Data, true;
    DeleteTable: Control, false;
    DescribeTable: Control, true;
    GetItem: Data, true;
    ListTables: Control, true;
    PutItem: Data, true;
    Query: Data, false;
    Scan: Data, false;
    UpdateItem: Data, true;
    UpdateTable: Control, false;
};

impl Op {
    /// All 13 operations, in alphabetical order.
    pub const ALL: [Op; 13] = [
        Op::BatchGetItem,
        Op::BatchWriteItem,
        Op::CreateTable,
        Op::DeleteItem,
        Op::DeleteTable,
        Op::DescribeTable,
        Op::GetItem,
        Op::ListTables,
        Op::PutItem,
        Op::Query,
        Op::Scan,
        Op::UpdateItem,
        Op::UpdateTable,
    ];

    const fn row(self) -> &'static Row {
        &TABLE[self as usize]
    }

    /// The operation's name, as in `X-Amz-Target` after [`TARGET_PREFIX`].
    pub const fn name(self) -> &'static str {
        self.row().name
    }

    /// The whole `X-Amz-Target` value, e.g. `DynamoDB_20111205.GetItem`.
    pub const fn target(self) -> &'static str {
        self.row().target
    }

    /// Whether it works on items or on tables.
    pub const fn plane(self) -> Plane {
        self.row().plane
    }

    /// Whether it touches at most one item (or only table metadata), so a
    /// server may run it on the connection's task rather than a worker pool.
    pub const fn is_single_item(self) -> bool {
        self.row().single_item
    }

    /// Whether a success changes stored items or tables.
    ///
    /// ```
    /// use dynamo_core::wire::Op;
    /// assert!(Op::UpdateItem.is_write() && !Op::Query.is_write());
    /// ```
    pub const fn is_write(self) -> bool {
        !matches!(
            self,
            Op::BatchGetItem
                | Op::DescribeTable
                | Op::GetItem
                | Op::ListTables
                | Op::Query
                | Op::Scan
        )
    }

    /// The operation of a name such as `"GetItem"`.
    pub fn from_name(name: &str) -> Option<Op> {
        TABLE.iter().find(|row| row.name == name).map(|row| row.op)
    }

    /// The operation of a whole `X-Amz-Target` value.
    pub fn from_target(target: &str) -> Option<Op> {
        target.strip_prefix(TARGET_PREFIX).and_then(Op::from_name)
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_enum_order() {
        for (i, op) in Op::ALL.into_iter().enumerate() {
            assert_eq!(op as usize, i);
            assert_eq!(TABLE[i].op, op);
            assert_eq!(format!("{op:?}"), op.name());
            assert_eq!(Op::from_name(op.name()), Some(op));
            assert_eq!(Op::from_target(op.target()), Some(op));
        }
        assert_eq!(Op::from_name("Nope"), None);
        assert_eq!(Op::from_target("DynamoDB_20120810.GetItem"), None);
    }
}
