//! Every keyword of `#[dynamo(...)]`, in one place.

use std::fmt;

use syn::{Ident, Path};

/// One keyword.
#[derive(Clone, Copy)]
pub(crate) struct Symbol(pub(crate) &'static str);

pub(crate) const DYNAMO: Symbol = Symbol("dynamo");

pub(crate) const TABLE: Symbol = Symbol("table");
pub(crate) const RENAME_ALL: Symbol = Symbol("rename_all");
pub(crate) const CRATE: Symbol = Symbol("crate");
pub(crate) const BOUND: Symbol = Symbol("bound");

pub(crate) const HASH_KEY: Symbol = Symbol("hash_key");
pub(crate) const RANGE_KEY: Symbol = Symbol("range_key");
pub(crate) const RENAME: Symbol = Symbol("rename");
pub(crate) const SKIP: Symbol = Symbol("skip");
pub(crate) const DEFAULT: Symbol = Symbol("default");
pub(crate) const JSON: Symbol = Symbol("json");
pub(crate) const WITH: Symbol = Symbol("with");
pub(crate) const VERSION: Symbol = Symbol("version");
pub(crate) const FLATTEN: Symbol = Symbol("flatten");

/// Container keywords, for "expected one of" messages.
pub(crate) const CONTAINER_KEYWORDS: &[Symbol] = &[TABLE, RENAME_ALL, CRATE, BOUND];

/// Field keywords, for "expected one of" messages.
pub(crate) const FIELD_KEYWORDS: &[Symbol] = &[
    HASH_KEY, RANGE_KEY, RENAME, SKIP, DEFAULT, JSON, WITH, VERSION, FLATTEN,
];

/// `` `a`, `b`, `c` `` for a message.
pub(crate) fn one_of(symbols: &[Symbol]) -> String {
    symbols
        .iter()
        .map(|s| format!("`{}`", s.0))
        .collect::<Vec<_>>()
        .join(", ")
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for &Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
