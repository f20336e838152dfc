//! The derive input as plain structs: the container and its named fields.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Type, Visibility};

use crate::attr::{Codec, ContainerAttrs, FieldAttrs, Missing, Role};
use crate::ctxt::Ctxt;

/// A struct with named fields and its attributes.
pub(crate) struct Container<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    pub(crate) generics: &'a Generics,
    pub(crate) attrs: ContainerAttrs,
    /// `None` when the input is not a struct with named fields.
    pub(crate) fields: Option<Vec<Field<'a>>>,
}

/// One named field, its attributes resolved (see [`crate::attr::Resolved`]).
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    /// The Rust name without `r#`.
    pub(crate) name: String,
    /// The attribute name, after `rename` and `rename_all`.
    pub(crate) attribute: String,
    /// The span to report the attribute name at (the `rename` or the field).
    pub(crate) attribute_span: Span,
    pub(crate) role: Role,
    pub(crate) codec: Codec,
    pub(crate) missing: Missing,
    /// The span of `version` on the optimistic-locking field.
    pub(crate) version: Option<Span>,
}

impl Field<'_> {
    pub(crate) fn is_stored(&self) -> bool {
        match self.role {
            Role::Hash(_) | Role::Range(_) | Role::NotKey => true,
            Role::Skipped | Role::Flatten(_) => false,
        }
    }

    pub(crate) fn is_hash_key(&self) -> bool {
        matches!(self.role, Role::Hash(_))
    }

    pub(crate) fn is_range_key(&self) -> bool {
        matches!(self.role, Role::Range(_))
    }

    pub(crate) fn is_flatten(&self) -> bool {
        matches!(self.role, Role::Flatten(_))
    }
}

impl<'a> Container<'a> {
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Container<'a> {
        let attrs = ContainerAttrs::parse(cx, &input.attrs);
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => Some(
                    named
                        .named
                        .iter()
                        .filter_map(|f| Field::from_ast(cx, f, &attrs))
                        .collect(),
                ),
                Fields::Unnamed(_) | Fields::Unit => {
                    cx.error_at(
                        data.struct_token.span,
                        "`DynamoItem` needs a struct with named fields, like `struct Message { id: String }`",
                    );
                    None
                }
            },
            Data::Enum(data) => {
                cx.error_at(
                    data.enum_token.span,
                    "`DynamoItem` cannot be derived for enums; store an enum in a field with `#[dynamo(json)]`",
                );
                None
            }
            Data::Union(data) => {
                cx.error_at(
                    data.union_token.span,
                    "`DynamoItem` cannot be derived for unions",
                );
                None
            }
        };
        Container {
            ident: &input.ident,
            vis: &input.vis,
            generics: &input.generics,
            attrs,
            fields,
        }
    }

    /// The stored fields (all but `skip`).
    pub(crate) fn stored(&self) -> impl Iterator<Item = &Field<'a>> {
        self.fields.iter().flatten().filter(|f| f.is_stored())
    }
}

impl<'a> Field<'a> {
    fn from_ast(cx: &Ctxt, field: &'a syn::Field, container: &ContainerAttrs) -> Option<Field<'a>> {
        let ident = field.ident.as_ref()?;
        let attrs = FieldAttrs::parse(cx, &field.attrs).resolve(cx);
        let name = ident.to_string().trim_start_matches("r#").to_owned();
        let (attribute, attribute_span) = match &attrs.rename {
            Some(lit) => (lit.value(), lit.span()),
            None => {
                let renamed = container
                    .rename_all
                    .get()
                    .map_or_else(|| name.clone(), |r| r.apply(&name));
                (renamed, ident.span())
            }
        };
        Some(Field {
            ident,
            ty: &field.ty,
            name,
            attribute,
            attribute_span,
            role: attrs.role,
            codec: attrs.codec,
            missing: attrs.missing,
            version: attrs.version,
        })
    }
}

/// The span of a field's type, for errors the type system reports.
pub(crate) fn type_span(ty: &Type) -> Span {
    ty.span()
}
