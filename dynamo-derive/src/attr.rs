//! Parsing of `#[dynamo(...)]` on the struct and on its fields.

use proc_macro2::Span;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::{Attribute, LitStr, Path, Token, WherePredicate};

use crate::case::RenameRule;
use crate::ctxt::Ctxt;
use crate::symbol::{self, Symbol};

/// A value given once, with the span of the keyword that set it.
pub(crate) struct Attr<T> {
    value: Option<(Span, T)>,
    name: Symbol,
}

impl<T> Attr<T> {
    fn none(name: Symbol) -> Self {
        Attr { value: None, name }
    }

    fn set(&mut self, cx: &Ctxt, span: Span, value: T) {
        if self.value.is_some() {
            cx.error_at(span, format!("duplicate dynamo attribute `{}`", self.name));
        } else {
            self.value = Some((span, value));
        }
    }

    pub(crate) fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(_, v)| v)
    }

    pub(crate) fn span(&self) -> Option<Span> {
        self.value.as_ref().map(|(s, _)| *s)
    }

    pub(crate) fn is_set(&self) -> bool {
        self.value.is_some()
    }
}

/// `#[dynamo(...)]` on the struct.
pub(crate) struct ContainerAttrs {
    pub(crate) table: Attr<LitStr>,
    pub(crate) rename_all: Attr<RenameRule>,
    pub(crate) krate: Attr<Path>,
    pub(crate) bound: Attr<Vec<WherePredicate>>,
}

/// `#[dynamo(...)]` on a field, as written; [`FieldAttrs::resolve`] turns
/// it into the model the rest of the derive reads.
pub(crate) struct FieldAttrs {
    hash_key: Attr<()>,
    range_key: Attr<()>,
    rename: Attr<LitStr>,
    skip: Attr<()>,
    default: Attr<()>,
    json: Attr<()>,
    with: Attr<Path>,
    version: Attr<()>,
    flatten: Attr<()>,
}

/// What a field is in its item.
pub(crate) enum Role {
    /// The hash key (`hash_key`), with the keyword's span.
    Hash(Span),
    /// The range key (`range_key`), with the keyword's span.
    Range(Span),
    /// A stored attribute that is not part of the key.
    NotKey,
    /// Not stored (`skip`): read as `Default::default()`.
    Skipped,
    /// `flatten`: an `Item` holding every attribute no other field names,
    /// written back with the item, with the keyword's span.
    Flatten(Span),
}

/// How a stored field's value becomes an attribute and back.
pub(crate) enum Codec {
    /// `ToAttribute` / `FromAttribute` of the field type.
    Attribute,
    /// `json`: serde JSON in a string attribute, with the keyword's span.
    Json(Span),
    /// `with = module`: the module's `to_attribute` / `from_attribute`.
    With(Path),
}

/// What reading an item without the attribute gives.
pub(crate) enum Missing {
    /// The type's `FromAttribute::from_missing` (`None` for options, empty
    /// sets), else an error.
    FromType,
    /// `default`: `Default::default()`.
    Default,
}

/// A field's attributes resolved: each conflict was reported where it was
/// parsed, so every combination left is a valid one.
pub(crate) struct Resolved {
    pub(crate) role: Role,
    pub(crate) codec: Codec,
    pub(crate) missing: Missing,
    /// The span of `version` on the optimistic-locking field.
    pub(crate) version: Option<Span>,
    pub(crate) rename: Option<LitStr>,
}

fn span_of(meta: &ParseNestedMeta<'_>) -> Span {
    meta.path
        .segments
        .first()
        .map_or_else(Span::call_site, |s| s.ident.span())
}

/// Reports an unknown keyword and skips its value, so parsing goes on.
fn unknown(cx: &Ctxt, meta: &ParseNestedMeta<'_>, kind: &str, known: &[Symbol]) -> syn::Result<()> {
    let name = meta.path.to_token_stream().to_string().replace(' ', "");
    cx.error_spanned_by(
        &meta.path,
        format!(
            "unknown dynamo {kind} attribute `{name}`, expected one of {}",
            symbol::one_of(known)
        ),
    );
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|nested| {
            if nested.input.peek(Token![=]) {
                nested.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Calls `each` for every keyword of every `#[dynamo(...)]`; parse errors
/// are recorded and the next attribute is read.
fn for_each_meta(
    cx: &Ctxt,
    attrs: &[Attribute],
    mut each: impl FnMut(&ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs {
        if attr.path() != symbol::DYNAMO {
            continue;
        }
        if let syn::Meta::Path(_) = attr.meta {
            cx.error_spanned_by(attr, "expected `#[dynamo(...)]`");
            continue;
        }
        if let Err(e) = attr.parse_nested_meta(|meta| each(&meta)) {
            cx.syn_error(e);
        }
    }
}

impl ContainerAttrs {
    pub(crate) fn parse(cx: &Ctxt, attrs: &[Attribute]) -> ContainerAttrs {
        let mut out = ContainerAttrs {
            table: Attr::none(symbol::TABLE),
            rename_all: Attr::none(symbol::RENAME_ALL),
            krate: Attr::none(symbol::CRATE),
            bound: Attr::none(symbol::BOUND),
        };
        for_each_meta(cx, attrs, |meta| {
            let span = span_of(meta);
            if meta.path == symbol::TABLE {
                let lit: LitStr = meta.value()?.parse()?;
                out.table.set(cx, span, lit);
            } else if meta.path == symbol::RENAME_ALL {
                let lit: LitStr = meta.value()?.parse()?;
                match RenameRule::from_name(&lit.value()) {
                    Some(rule) => out.rename_all.set(cx, span, rule),
                    None => cx.error_spanned_by(
                        &lit,
                        format!(
                            "unknown rename rule, expected one of {}",
                            RenameRule::names()
                        ),
                    ),
                }
            } else if meta.path == symbol::CRATE {
                let lit: LitStr = meta.value()?.parse()?;
                match lit.parse::<Path>() {
                    Ok(path) => out.krate.set(cx, span, path),
                    Err(_) => {
                        cx.error_spanned_by(&lit, "expected a path, like `crate = \"::dynamo\"`")
                    }
                }
            } else if meta.path == symbol::BOUND {
                let lit: LitStr = meta.value()?.parse()?;
                let parser = Punctuated::<WherePredicate, Token![,]>::parse_terminated;
                match lit.parse_with(parser) {
                    Ok(preds) => out.bound.set(cx, span, preds.into_iter().collect()),
                    Err(_) => cx.error_spanned_by(
                        &lit,
                        "expected where predicates, like `bound = \"T: Clone\"`",
                    ),
                }
            } else if symbol::FIELD_KEYWORDS.iter().any(|k| meta.path == *k) {
                let name = meta.path.to_token_stream().to_string();
                cx.error_spanned_by(
                    &meta.path,
                    format!("`{name}` is a field attribute; put it on a field"),
                );
                if meta.input.peek(Token![=]) {
                    meta.value()?.parse::<syn::Expr>()?;
                }
            } else {
                unknown(cx, meta, "container", symbol::CONTAINER_KEYWORDS)?;
            }
            Ok(())
        });
        out
    }
}

impl FieldAttrs {
    pub(crate) fn parse(cx: &Ctxt, attrs: &[Attribute]) -> FieldAttrs {
        let mut out = FieldAttrs {
            hash_key: Attr::none(symbol::HASH_KEY),
            range_key: Attr::none(symbol::RANGE_KEY),
            rename: Attr::none(symbol::RENAME),
            skip: Attr::none(symbol::SKIP),
            default: Attr::none(symbol::DEFAULT),
            json: Attr::none(symbol::JSON),
            with: Attr::none(symbol::WITH),
            version: Attr::none(symbol::VERSION),
            flatten: Attr::none(symbol::FLATTEN),
        };
        for_each_meta(cx, attrs, |meta| {
            let span = span_of(meta);
            let flags = [
                (symbol::HASH_KEY, &mut out.hash_key),
                (symbol::RANGE_KEY, &mut out.range_key),
                (symbol::SKIP, &mut out.skip),
                (symbol::DEFAULT, &mut out.default),
                (symbol::JSON, &mut out.json),
                (symbol::VERSION, &mut out.version),
                (symbol::FLATTEN, &mut out.flatten),
            ];
            for (word, flag) in flags {
                if meta.path == word {
                    flag.set(cx, span, ());
                    return Ok(());
                }
            }
            if meta.path == symbol::RENAME {
                let lit: LitStr = meta.value()?.parse()?;
                out.rename.set(cx, span, lit);
            } else if meta.path == symbol::WITH {
                let value = meta.value()?;
                let path = if value.peek(LitStr) {
                    value.parse::<LitStr>()?.parse::<Path>()?
                } else {
                    value.parse::<Path>()?
                };
                out.with.set(cx, span, path);
            } else {
                unknown(cx, meta, "field", symbol::FIELD_KEYWORDS)?;
            }
            Ok(())
        });
        out
    }
}

impl FieldAttrs {
    /// Resolves role, codec, missing-value rule and version, reporting every
    /// conflicting combination at the keyword that makes it conflict.
    pub(crate) fn resolve(self, cx: &Ctxt) -> Resolved {
        let hash = self.hash_key.span();
        let range = self.range_key.span();
        let key = hash.is_some() || range.is_some();
        if let (Some(_), Some(span)) = (hash, range) {
            cx.error_at(
                span,
                "a field cannot be both the hash key and the range key",
            );
        }
        if let (true, Some(span)) = (key, self.skip.span()) {
            cx.error_at(
                span,
                "a key field cannot be skipped: every item stores its key",
            );
        }
        if key {
            let words = [
                ("json", self.json.span()),
                ("with", self.with.span()),
                ("default", self.default.span()),
                ("version", self.version.span()),
            ];
            report_each(cx, &words, |word| {
                format!("`{word}` cannot be used on a key field")
            });
        }
        if let (Some(span), true) = (self.json.span(), self.with.is_set()) {
            cx.error_at(
                span,
                "`json` and `with` cannot be combined: `json` is `with = dynamo::convert::json`",
            );
        }
        if self.skip.is_set() {
            let words = [
                ("rename", self.rename.span()),
                ("default", self.default.span()),
                ("json", self.json.span()),
                ("with", self.with.span()),
                ("version", self.version.span()),
            ];
            report_each(cx, &words, |word| {
                format!("`{word}` has no effect on a `skip` field")
            });
        }
        if self.version.is_set() {
            let words = [("json", self.json.span()), ("with", self.with.span())];
            report_each(cx, &words, |word| {
                format!("`{word}` cannot be used on the version field")
            });
        }
        if self.flatten.is_set() {
            let words = [
                ("hash_key", hash),
                ("range_key", range),
                ("skip", self.skip.span()),
                ("rename", self.rename.span()),
                ("default", self.default.span()),
                ("json", self.json.span()),
                ("with", self.with.span()),
                ("version", self.version.span()),
            ];
            report_each(cx, &words, |word| {
                format!(
                    "`{word}` cannot be combined with `flatten`: a `flatten` field holds the attributes no other field names"
                )
            });
        }
        let role = match (hash, range, self.skip.is_set(), self.flatten.span()) {
            (Some(span), _, _, _) => Role::Hash(span),
            (None, Some(span), _, _) => Role::Range(span),
            (None, None, true, _) => Role::Skipped,
            (None, None, false, Some(span)) => Role::Flatten(span),
            (None, None, false, None) => Role::NotKey,
        };
        let codec = match (self.json.span(), self.with.value) {
            (Some(span), _) => Codec::Json(span),
            (None, Some((_, path))) => Codec::With(path),
            (None, None) => Codec::Attribute,
        };
        let missing = if self.default.is_set() {
            Missing::Default
        } else {
            Missing::FromType
        };
        Resolved {
            role,
            codec,
            missing,
            version: self.version.span(),
            rename: self.rename.value.map(|(_, lit)| lit),
        }
    }
}

/// Reports `message(word)` at each keyword that is present.
fn report_each(cx: &Ctxt, words: &[(&str, Option<Span>)], message: impl Fn(&str) -> String) {
    for (word, span) in words {
        if let Some(span) = span {
            cx.error_at(*span, message(word));
        }
    }
}
