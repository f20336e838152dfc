//! Writes the `DynamoItem` impl and the attribute handles.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::DeriveInput;

use crate::ast::{Container, Field, type_span};
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
    let writes = cont.stored().map(|f| write_field(cont, f, krate));
    let reads = fields.iter().map(|f| read_field(cont, f, krate));
    let capacity = cont.stored().count();
    let handles = handles(cont, krate);
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
                    #(#writes)*
                    ::core::result::Result::Ok(__item)
                }

                fn from_item(__item: #krate::Item) -> ::core::result::Result<Self, #krate::ConvertError> {
                    let mut __item = __item;
                    ::core::result::Result::Ok(Self { #(#reads),* })
                }
            }
            #handles
        };
    }
}

/// Key schema, key types and key conversions.
fn keys(cont: &Container<'_>, fields: &[Field<'_>], krate: &TokenStream) -> TokenStream {
    let Some(hash) = fields.iter().find(|f| f.attrs.hash_key.is_set()) else {
        return TokenStream::new();
    };
    let range = fields.iter().find(|f| f.attrs.range_key.is_set());
    let (h_ident, h_name, h_path) = (hash.ident, &hash.attribute, path(cont, hash, krate));
    let h_ty = hash.ty;
    let h_type = quote_spanned!(type_span(h_ty)=> type HashKey = #h_ty;);
    let common = quote! {
        #h_type
        const HASH_KEY: #krate::KeyElement = #krate::KeyElement {
            name: #h_name,
            attribute_type: <Self::HashKey as #krate::KeyAttribute>::TYPE,
        };
    };
    let Some(range) = range else {
        return quote! {
            #common
            const RANGE_KEY: ::core::option::Option<#krate::KeyElement> = ::core::option::Option::None;
            type RangeKey = #krate::NoRangeKey;
            type Key = Self::HashKey;
            fn key(&self) -> Self::Key {
                ::core::clone::Clone::clone(&self.#h_ident)
            }
            fn key_to_wire(key: &Self::Key) -> ::core::result::Result<#krate::wire::Key, #krate::ConvertError> {
                let hash = #krate::__private::key_value::<Self::HashKey>(key, #h_path)?;
                ::core::result::Result::Ok(#krate::wire::Key::hash(hash))
            }
            fn key_from_wire(key: &#krate::wire::Key) -> ::core::result::Result<Self::Key, #krate::ConvertError> {
                #krate::__private::hash_only_key::<Self::HashKey>(key, #h_path)
            }
        };
    };
    let (r_ident, r_name, r_path) = (range.ident, &range.attribute, path(cont, range, krate));
    let r_ty = range.ty;
    let span = type_span(r_ty);
    let r_element = quote_spanned! {span=>
        ::core::option::Option::Some(#krate::KeyElement {
            name: #r_name,
            attribute_type: <#r_ty as #krate::KeyAttribute>::TYPE,
        })
    };
    let r_to = quote_spanned!(span=> #krate::__private::key_value::<#r_ty>(range, #r_path)?);
    let r_from = quote_spanned!(span=>
        #krate::__private::key_read::<#r_ty>(key.range_key_element.as_ref(), #r_path)?);
    quote! {
        #common
        const RANGE_KEY: ::core::option::Option<#krate::KeyElement> = #r_element;
        type RangeKey = #r_ty;
        type Key = (Self::HashKey, Self::RangeKey);
        fn key(&self) -> Self::Key {
            (::core::clone::Clone::clone(&self.#h_ident), ::core::clone::Clone::clone(&self.#r_ident))
        }
        fn key_to_wire(key: &Self::Key) -> ::core::result::Result<#krate::wire::Key, #krate::ConvertError> {
            let (hash, range) = key;
            let hash = #krate::__private::key_value::<Self::HashKey>(hash, #h_path)?;
            ::core::result::Result::Ok(#krate::wire::Key::hash_range(hash, #r_to))
        }
        fn key_from_wire(key: &#krate::wire::Key) -> ::core::result::Result<Self::Key, #krate::ConvertError> {
            let hash = #krate::__private::key_read::<Self::HashKey>(
                ::core::option::Option::Some(&key.hash_key_element), #h_path)?;
            ::core::result::Result::Ok((hash, #r_from))
        }
    }
}

/// `VERSION_ATTRIBUTE`, with a check at the field type that it is an integer.
fn version(cont: &Container<'_>, krate: &TokenStream) -> TokenStream {
    let Some(f) = cont.stored().find(|f| f.attrs.version.is_set()) else {
        return quote!(::core::option::Option::None);
    };
    let (ty, name) = (f.ty, &f.attribute);
    let assert = quote_spanned!(type_span(ty)=> #krate::__private::assert_version::<#ty>(););
    quote!({ #assert ::core::option::Option::Some(#name) })
}

/// The module a `json` or `with` field converts through.
fn with_module(f: &Field<'_>, krate: &TokenStream) -> Option<TokenStream> {
    if f.attrs.json.is_set() {
        return Some(quote!(#krate::__private::json));
    }
    f.attrs.with.get().map(|p| quote!(#p))
}

fn write_field(cont: &Container<'_>, f: &Field<'_>, krate: &TokenStream) -> TokenStream {
    let (ident, ty, path) = (f.ident, f.ty, path(cont, f, krate));
    match with_module(f, krate) {
        Some(module) => quote! {
            #krate::__private::put(&mut __item, #module::to_attribute(&self.#ident), #path)?;
        },
        None => quote_spanned! {type_span(ty)=>
            #krate::__private::write::<#ty>(&mut __item, &self.#ident, #path)?;
        },
    }
}

fn read_field(cont: &Container<'_>, f: &Field<'_>, krate: &TokenStream) -> TokenStream {
    let (ident, ty) = (f.ident, f.ty);
    let span = type_span(ty);
    if !f.is_stored() {
        return quote_spanned!(span=> #ident: <#ty as ::core::default::Default>::default());
    }
    let path = path(cont, f, krate);
    if let Some(module) = with_module(f, krate) {
        let default = if f.attrs.default.is_set() {
            quote_spanned!(span=> ::core::option::Option::Some(
                <#ty as ::core::default::Default>::default as fn() -> #ty))
        } else {
            quote!(::core::option::Option::None)
        };
        return quote! {
            #ident: #krate::__private::read_with(&mut __item, #path, #module::from_attribute, #default)?
        };
    }
    if f.attrs.default.is_set() {
        quote_spanned!(span=> #ident: #krate::__private::read_or_default::<#ty>(&mut __item, #path)?)
    } else {
        quote_spanned!(span=> #ident: #krate::__private::read::<#ty>(&mut __item, #path)?)
    }
}

/// `impl Message { pub const SENT_BY: Attr<Message, String, NotKey> = ...; }`
pub(crate) fn handles(cont: &Container<'_>, krate: &TokenStream) -> TokenStream {
    let ident = cont.ident;
    let vis = cont.vis;
    let (impl_generics, ty_generics, where_clause) = cont.generics.split_for_impl();
    let item = ident.to_string();
    let consts = cont.stored().map(|f| {
        let name = format_ident!("{}", f.name.to_ascii_uppercase(), span = f.ident.span());
        let value = handle_value_type(f, krate);
        let role = if f.attrs.hash_key.is_set() {
            quote!(HashKey)
        } else if f.attrs.range_key.is_set() {
            quote!(RangeKey)
        } else {
            quote!(NotKey)
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
    if f.attrs.json.is_set() {
        quote!(#krate::convert::Json<#ty>)
    } else if f.attrs.with.is_set() {
        quote!(#krate::AttributeValue)
    } else {
        quote!(#ty)
    }
}
