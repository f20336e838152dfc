//! Where clauses of the generated impl: bound only the field types that
//! mention a type parameter (thiserror's way), or use `bound = "..."`.

use std::collections::HashSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::{Ident, Type, WhereClause, WherePredicate, parse_quote};

use crate::ast::{Container, Field, type_span};
use crate::attr::{Codec, Missing, Role};

/// The original where clause plus the inferred (or given) bounds.
pub(crate) fn impl_where_clause(cont: &Container<'_>, krate: &TokenStream) -> WhereClause {
    let mut clause = cont
        .generics
        .where_clause
        .clone()
        .unwrap_or_else(|| parse_quote!(where));
    let params: HashSet<&Ident> = cont.generics.type_params().map(|p| &p.ident).collect();
    if params.is_empty() {
        return clause;
    }
    let ident = cont.ident;
    let (_, ty_generics, _) = cont.generics.split_for_impl();
    clause.predicates.push(parse_quote!(
        #ident #ty_generics: ::core::marker::Send + ::core::marker::Sync + 'static
    ));
    match cont.attrs.bound.get() {
        Some(given) => clause.predicates.extend(given.iter().cloned()),
        None => {
            for f in cont.fields.iter().flatten() {
                if mentions(f.ty, &params) {
                    clause.predicates.extend(field_bound(f, krate));
                }
            }
        }
    }
    clause
}

fn field_bound(f: &Field<'_>, krate: &TokenStream) -> Option<WherePredicate> {
    let ty = f.ty;
    let span = type_span(ty);
    let bound: TokenStream = match (&f.role, &f.codec, &f.missing) {
        (Role::Skipped, _, _) => quote!(::core::default::Default),
        (Role::Flatten(_), _, _) => return None,
        (Role::Hash(_) | Role::Range(_), _, _) => quote!(#krate::KeyAttribute),
        (Role::NotKey, Codec::Json(_), _) => {
            let serde = quote!(#krate::__private::serde);
            quote!(#serde::Serialize + #serde::de::DeserializeOwned)
        }
        (Role::NotKey, Codec::With(_), _) => return None,
        (Role::NotKey, Codec::Attribute, Missing::Default) => {
            quote!(#krate::ToAttribute + #krate::FromAttribute + ::core::default::Default)
        }
        (Role::NotKey, Codec::Attribute, Missing::FromType) => {
            quote!(#krate::ToAttribute + #krate::FromAttribute)
        }
    };
    Some(syn::parse_quote_spanned!(span=> #ty: #bound))
}

/// True when the type's tokens name one of the parameters.
fn mentions(ty: &Type, params: &HashSet<&Ident>) -> bool {
    fn walk(tokens: TokenStream, params: &HashSet<&Ident>) -> bool {
        tokens.into_iter().any(|t| match t {
            TokenTree::Ident(ident) => params.contains(&ident),
            TokenTree::Group(group) => walk(group.stream(), params),
            _ => false,
        })
    }
    walk(ty.to_token_stream(), params)
}
