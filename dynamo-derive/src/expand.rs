//! Writes the `DynamoItem` impl and the attribute handles.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::ast::{Container, Field, type_span};
use crate::attr::{Codec, Missing, Role};
use crate::ctxt::Ctxt;
use crate::{bound, fallback, valid};

/// Parse, validate, expand; on errors, the errors plus a fallback impl.
pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let cont = Container::from_ast(&cx, input);
    valid::check(&cx, &cont);
    let krate = runtime_path(&cont);
    match (&cont.fields, cx.has_errors()) {
        (Some(fields), false) => expand(&cont, fields, &krate),
        _ => {
            let fallback = fallback::expand(&cont, &krate);
            let errors = cx.into_compile_errors();
            quote!(#errors #fallback)
        }
    }
}

/// `::dynamo` unless `crate = "..."` says otherwise.
pub(crate) fn runtime_path(cont: &Container<'_>) -> TokenStream {
    match cont.attrs.krate.get() {
        Some(path) => quote!(#path),
        None => quote!(::dynamo),
    }
}

/// `AttributePath { item, field, attribute }` of a field.
fn path(cont: &Container<'_>, f: &Field<'_>, krate: &TokenStream) -> TokenStream {
    let item = cont.ident.to_string();
    let (field, attribute) = (&f.name, &f.attribute);
    quote!(#krate::convert::AttributePath { item: #item, field: #field, attribute: #attribute })
}

fn expand(cont: &Container<'_>, fields: &[Field<'_>], krate: &TokenStream) -> TokenStream {
    let ident = cont.ident;
    let (impl_generics, ty_generics, _) = cont.generics.split_for_impl();
    let where_clause = bound::impl_where_clause(cont, krate);
    let keys = keys(cont, fields, krate);
    let table = cont
        .attrs
        .table
        .get()
        .map_or_else(|| ident.to_string(), syn::LitStr::value);
    let version = version(cont, krate);
    let attributes = cont.stored().map(|f| &f.attribute);
    let mut writes: Vec<_> = cont.stored().map(|f| write_field(cont, f, krate)).collect();
    // The flatten field takes what the others left, so it is read last.
    let flatten = fields.iter().find(|f| f.is_flatten());
    let mut reads: Vec<_> = fields
        .iter()
        .filter(|f| !f.is_flatten())
        .map(|f| read_field(cont, f, krate))
        .collect();
    let capacity = cont.stored().count();
    if let Some(f) = flatten {
        let (ident, ty, path) = (f.ident, f.ty, path(cont, f, krate));
        let p = quote!(#krate::__private);
        writes.push(quote! {
            #p::write_rest::<#ty>(__item, &self.#ident, Self::ATTRIBUTES, #path)?;
        });
        reads.push(quote!(#ident: #p::read_rest::<#ty>(__item)));
    }
    let handles = handles(cont, krate);
    let queryable = fields.iter().any(Field::is_range_key).then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::item::HasRangeKey for #ident #ty_generics #where_clause {}
        }
    });
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::DynamoItem for #ident #ty_generics #where_clause {
                const TABLE_NAME: &'static str = #table;
                const VERSION_ATTRIBUTE: ::core::option::Option<&'static str> = #version;
                const ATTRIBUTES: &'static [&'static str] = &[#(#attributes),*];
                #keys

                fn to_item(&self) -> ::core::result::Result<#krate::Item, #krate::ConvertError> {
                    let mut __item = #krate::Item::with_capacity(#capacity);
                    #krate::DynamoItem::write_attributes(self, &mut __item)?;
                    ::core::result::Result::Ok(__item)
                }

                fn write_attributes<__S: #krate::item::AttributeSink>(
                    &self,
                    __item: &mut __S,
                ) -> ::core::result::Result<(), #krate::ConvertError> {
                    #(#writes)*
                    ::core::result::Result::Ok(())
                }

                fn from_attributes<__S: #krate::item::AttributeSource>(
                    __item: __S,
                ) -> ::core::result::Result<Self, #krate::ConvertError> {
                    let mut __item = __item;
                    ::core::result::Result::Ok(Self { #(#reads),* })
                }
            }
            #queryable
            #handles
        };
    }
}

/// Key names, key types and key conversions. The key types are checked
/// once, at the field, by the `HashKey: KeyAttribute` and `RangeKey:
/// RangeKeyType` bounds; every other use goes through helpers generic over
/// `Self`.
fn keys(cont: &Container<'_>, fields: &[Field<'_>], krate: &TokenStream) -> TokenStream {
    let Some(hash) = fields.iter().find(|f| f.is_hash_key()) else {
        return TokenStream::new();
    };
    let p = quote!(#krate::__private);
    let (h_ident, h_name, h_path) = (hash.ident, &hash.attribute, path(cont, hash, krate));
    let h_ty = hash.ty;
    let h_type = quote_spanned!(type_span(h_ty)=> type HashKey = #h_ty;);
    let result = quote!(::core::result::Result);
    let Some(range) = fields.iter().find(|f| f.is_range_key()) else {
        return quote! {
            const HASH_KEY: &'static str = #h_name;
            const RANGE_KEY: ::core::option::Option<&'static str> = ::core::option::Option::None;
            #h_type
            type RangeKey = #krate::NoRangeKey;
            type Key = Self::HashKey;
            fn key(&self) -> Self::Key {
                #p::key_of::<Self, #krate::attr::Hash>(&self.#h_ident)
            }
            fn key_to_wire(key: &Self::Key) -> #result<#krate::wire::Key, #krate::ConvertError> {
                #result::Ok(#krate::wire::Key::hash(#p::key_value::<Self, #krate::attr::Hash>(key, #h_path)?))
            }
            fn key_from_wire(key: &#krate::wire::Key) -> #result<Self::Key, #krate::ConvertError> {
                #p::hash_only_key::<Self>(key, #h_path)
            }
        };
    };
    let (r_ident, r_name, r_path) = (range.ident, &range.attribute, path(cont, range, krate));
    let r_ty = range.ty;
    let r_type = quote_spanned!(type_span(r_ty)=> type RangeKey = #r_ty;);
    quote! {
        const HASH_KEY: &'static str = #h_name;
        const RANGE_KEY: ::core::option::Option<&'static str> = ::core::option::Option::Some(#r_name);
        #h_type
        #r_type
        type Key = (Self::HashKey, Self::RangeKey);
        fn key(&self) -> Self::Key {
            (
                #p::key_of::<Self, #krate::attr::Hash>(&self.#h_ident),
                #p::key_of::<Self, #krate::attr::Range>(&self.#r_ident),
            )
        }
        fn key_to_wire(key: &Self::Key) -> #result<#krate::wire::Key, #krate::ConvertError> {
            let (hash, range) = key;
            #result::Ok(#krate::wire::Key::hash_range(
                #p::key_value::<Self, #krate::attr::Hash>(hash, #h_path)?,
                #p::key_value::<Self, #krate::attr::Range>(range, #r_path)?,
            ))
        }
        fn key_from_wire(key: &#krate::wire::Key) -> #result<Self::Key, #krate::ConvertError> {
            let hash = ::core::option::Option::Some(::core::clone::Clone::clone(&key.hash_key_element));
            let range = ::core::clone::Clone::clone(&key.range_key_element);
            #result::Ok((
                #p::key_read::<Self, #krate::attr::Hash>(hash, #h_path)?,
                #p::key_read::<Self, #krate::attr::Range>(range, #r_path)?,
            ))
        }
    }
}

/// `VERSION_ATTRIBUTE`, with a check at the field type that it is an integer.
fn version(cont: &Container<'_>, krate: &TokenStream) -> TokenStream {
    let Some(f) = cont.stored().find(|f| f.version.is_some()) else {
        return quote!(::core::option::Option::None);
    };
    let (ty, name) = (f.ty, &f.attribute);
    let assert = quote_spanned!(type_span(ty)=> #krate::__private::assert_version::<#ty>(););
    quote!({ #assert ::core::option::Option::Some(#name) })
}

/// The module a `json` or `with` field converts through, and the span of
/// the attribute, where a module with the wrong signature is reported.
/// The helper marker of a key field's part of the key.
fn key_part(f: &Field<'_>, krate: &TokenStream) -> Option<TokenStream> {
    match f.role {
        Role::Hash(_) => Some(quote!(#krate::attr::Hash)),
        Role::Range(_) => Some(quote!(#krate::attr::Range)),
        Role::NotKey | Role::Skipped | Role::Flatten(_) => None,
    }
}

fn write_field(cont: &Container<'_>, f: &Field<'_>, krate: &TokenStream) -> TokenStream {
    let (ident, ty, path) = (f.ident, f.ty, path(cont, f, krate));
    let p = quote!(#krate::__private);
    if let Some(part) = key_part(f, krate) {
        return quote!(#p::write_key::<Self, #part>(__item, &self.#ident, #path)?;);
    }
    match &f.codec {
        Codec::Json(span) => quote_spanned! {*span=>
            #p::put(__item, #p::json::to_attribute(&self.#ident), #path)?;
        },
        Codec::With(module) => quote_spanned! {module.span()=>
            #p::put(__item, #module::to_attribute(&self.#ident), #path)?;
        },
        Codec::Attribute => quote_spanned! {type_span(ty)=>
            #p::write::<#ty>(__item, &self.#ident, #path)?;
        },
    }
}

fn read_field(cont: &Container<'_>, f: &Field<'_>, krate: &TokenStream) -> TokenStream {
    let (ident, ty) = (f.ident, f.ty);
    let span = type_span(ty);
    let p = quote!(#krate::__private);
    let path = path(cont, f, krate);
    match f.role {
        Role::Skipped => {
            return quote_spanned!(span=> #ident: <#ty as ::core::default::Default>::default());
        }
        Role::Hash(_) | Role::Range(_) => {
            let part = key_part(f, krate);
            return quote!(#ident: #p::read_key::<Self, #part>(&mut __item, #path)?);
        }
        Role::NotKey => {}
        Role::Flatten(_) => unreachable!("the flatten field is read by `expand`"),
    }
    let default = match f.missing {
        Missing::Default => quote_spanned!(span=> ::core::option::Option::Some(
            <#ty as ::core::default::Default>::default as fn() -> #ty)),
        Missing::FromType => quote!(::core::option::Option::None),
    };
    match (&f.codec, &f.missing) {
        (Codec::Json(with_span), _) => quote_spanned! {*with_span=>
            #ident: #p::read_with::<#ty>(&mut __item, #path, #p::json::from_attribute, #default)?
        },
        (Codec::With(module), _) => quote_spanned! {module.span()=>
            #ident: #p::read_with::<#ty>(&mut __item, #path, #module::from_attribute, #default)?
        },
        (Codec::Attribute, Missing::Default) => {
            quote_spanned!(span=> #ident: #p::read_or_default::<#ty>(&mut __item, #path)?)
        }
        (Codec::Attribute, Missing::FromType) => {
            quote_spanned!(span=> #ident: #p::read::<#ty>(&mut __item, #path)?)
        }
    }
}

pub(crate) fn handles(cont: &Container<'_>, krate: &TokenStream) -> TokenStream {
    let ident = cont.ident;
    let vis = cont.vis;
    let (impl_generics, ty_generics, where_clause) = cont.generics.split_for_impl();
    let item = ident.to_string();
    let mut seen = std::collections::HashSet::new();
    let unique = cont
        .stored()
        .filter(|f| seen.insert(f.name.to_ascii_uppercase()));
    let consts = unique.map(|f| {
        let name = format_ident!("{}", f.name.to_ascii_uppercase(), span = f.ident.span());
        let value = handle_value_type(f, krate);
        let role = match f.role {
            Role::Hash(_) => quote!(Hash),
            Role::Range(_) => quote!(Range),
            Role::NotKey | Role::Skipped | Role::Flatten(_) => quote!(NotKey),
        };
        let (field, attribute) = (&f.name, &f.attribute);
        let doc = format!("Typed handle of field `{field}` (attribute `{attribute}`).");
        quote! {
            #[doc = #doc]
            #vis const #name: #krate::attr::Attr<Self, #value, #krate::attr::#role> =
                #krate::attr::Attr::new(#item, #field, #attribute);
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            #(#consts)*
        }
    }
}

/// The value type of a handle: the field type, `Json<T>` for `json`,
/// `AttributeValue` for `with`.
fn handle_value_type(f: &Field<'_>, krate: &TokenStream) -> TokenStream {
    let ty = f.ty;
    match f.codec {
        Codec::Json(_) => quote!(#krate::convert::Json<#ty>),
        Codec::With(_) => quote!(#krate::AttributeValue),
        Codec::Attribute => quote!(#ty),
    }
}
