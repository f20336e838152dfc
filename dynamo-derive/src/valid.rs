//! Cross-field rules, one function per rule (the rules of one field's
//! attributes are checked where they are parsed, in `attr`). Each records
//! its errors in the context and returns, so every broken rule is reported.

use std::collections::HashMap;

use crate::ast::{Container, Field};
use crate::attr::Role;
use crate::ctxt::Ctxt;

/// Runs every rule.
pub(crate) fn check(cx: &Ctxt, cont: &Container<'_>) {
    check_table_name(cx, cont);
    check_no_lifetimes(cx, cont);
    let Some(fields) = &cont.fields else {
        return;
    };
    check_exactly_one_hash_key(cx, cont, fields);
    check_at_most_one_range_key(cx, fields);
    check_one_version(cx, fields);
    check_one_flatten(cx, fields);
    check_attribute_names(cx, fields);
    check_rename_collisions(cx, fields);
    check_handle_collisions(cx, fields);
}

/// Table names: 3 to 255 characters of `a-z A-Z 0-9 _ - .`.
fn check_table_name(cx: &Ctxt, cont: &Container<'_>) {
    let Some(lit) = cont.attrs.table.get() else {
        return;
    };
    let name = lit.value();
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !(3..=255).contains(&name.len()) || !ok_chars {
        cx.error_spanned_by(
            lit,
            "table names are 3 to 255 characters of `a-z`, `A-Z`, `0-9`, `_`, `-` and `.`",
        );
    }
}

/// `DynamoItem: 'static`: items own their data.
fn check_no_lifetimes(cx: &Ctxt, cont: &Container<'_>) {
    for lt in cont.generics.lifetimes() {
        cx.error_spanned_by(
            lt,
            "`DynamoItem` types own their data: replace borrowed fields like `&'a str` with `String`",
        );
    }
}

fn check_exactly_one_hash_key(cx: &Ctxt, cont: &Container<'_>, fields: &[Field<'_>]) {
    let mut keys = fields.iter().filter_map(|f| match f.role {
        Role::Hash(span) => Some((f, span)),
        Role::Range(_) | Role::NotKey | Role::Skipped | Role::Flatten(_) => None,
    });
    let Some((first, _)) = keys.next() else {
        cx.error_spanned_by(
            cont.ident,
            "missing hash key: mark one field with `#[dynamo(hash_key)]`",
        );
        return;
    };
    for (_, span) in keys {
        cx.error_at(
            span,
            format!(
                "duplicate hash key: `{}` is already the hash key",
                first.name
            ),
        );
    }
}

fn check_at_most_one_range_key(cx: &Ctxt, fields: &[Field<'_>]) {
    let mut keys = fields.iter().filter_map(|f| match f.role {
        Role::Range(span) => Some((f, span)),
        Role::Hash(_) | Role::NotKey | Role::Skipped | Role::Flatten(_) => None,
    });
    let Some((first, _)) = keys.next() else {
        return;
    };
    for (_, span) in keys {
        cx.error_at(
            span,
            format!(
                "duplicate range key: `{}` is already the range key",
                first.name
            ),
        );
    }
}

fn check_one_version(cx: &Ctxt, fields: &[Field<'_>]) {
    let mut versions = fields.iter().filter(|f| f.version.is_some());
    let Some(first) = versions.next() else {
        return;
    };
    for extra in versions {
        let span = extra.version.unwrap_or_else(|| extra.ident.span());
        cx.error_at(
            span,
            format!(
                "duplicate version field: `{}` is already the version",
                first.name
            ),
        );
    }
}

fn check_one_flatten(cx: &Ctxt, fields: &[Field<'_>]) {
    let mut flattens = fields.iter().filter_map(|f| match f.role {
        Role::Flatten(span) => Some((f, span)),
        Role::Hash(_) | Role::Range(_) | Role::NotKey | Role::Skipped => None,
    });
    let Some((first, _)) = flattens.next() else {
        return;
    };
    for (_, span) in flattens {
        cx.error_at(
            span,
            format!(
                "duplicate flatten field: `{}` already holds the attributes no other field names",
                first.name
            ),
        );
    }
}

fn check_attribute_names(cx: &Ctxt, fields: &[Field<'_>]) {
    for f in fields.iter().filter(|f| f.is_stored()) {
        if f.attribute.is_empty() || f.attribute.len() > 255 {
            cx.error_at(
                f.attribute_span,
                "attribute names are 1 to 255 bytes, like `rename = \"SentBy\"`",
            );
        }
    }
}

fn check_rename_collisions(cx: &Ctxt, fields: &[Field<'_>]) {
    let mut seen: HashMap<&str, &Field<'_>> = HashMap::new();
    for f in fields.iter().filter(|f| f.is_stored()) {
        match seen.get(f.attribute.as_str()) {
            Some(first) => cx.error_at(
                f.attribute_span,
                format!(
                    "field `{}` is stored as attribute `{}`, which field `{}` already uses; give one of them another `#[dynamo(rename = \"...\")]`",
                    f.name, f.attribute, first.name
                ),
            ),
            None => {
                seen.insert(&f.attribute, f);
            }
        }
    }
}

/// Handles are named after fields in SCREAMING_SNAKE_CASE; `sent_by` and
/// `SENT_BY` would both be `SENT_BY`.
fn check_handle_collisions(cx: &Ctxt, fields: &[Field<'_>]) {
    let mut seen: HashMap<String, &Field<'_>> = HashMap::new();
    for f in fields.iter().filter(|f| f.is_stored()) {
        let handle = f.name.to_ascii_uppercase();
        match seen.get(&handle) {
            Some(first) => cx.error_spanned_by(
                f.ident,
                format!(
                    "fields `{}` and `{}` would both get the handle `{handle}`; rename one of the fields",
                    first.name, f.name
                ),
            ),
            None => {
                seen.insert(handle, f);
            }
        }
    }
}
