//! The impl emitted beside `compile_error!` when the input is invalid, so
//! that uses of the type do not add a cascade of "trait not implemented"
//! errors (thiserror's way).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Container;
use crate::expand;

pub(crate) fn expand(cont: &Container<'_>, krate: &TokenStream) -> TokenStream {
    let ident = cont.ident;
    let (impl_generics, ty_generics, _) = cont.generics.split_for_impl();
    let where_clause = crate::bound::impl_where_clause(cont, krate);
    let handles = if cont.fields.is_some() {
        expand::handles(cont, krate)
    } else {
        TokenStream::new()
    };
    if cont.generics.lifetimes().next().is_some() {
        // `DynamoItem: 'static` cannot hold; an impl would only add errors.
        return quote!(const _: () = { #handles };);
    }
    let unreachable = quote!(::core::unreachable!("invalid #[derive(DynamoItem)] input"));
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::DynamoItem for #ident #ty_generics #where_clause {
                const TABLE_NAME: &'static str = "";
                const HASH_KEY: &'static str = "";
                const RANGE_KEY: ::core::option::Option<&'static str> = ::core::option::Option::None;
                const VERSION_ATTRIBUTE: ::core::option::Option<&'static str> = ::core::option::Option::None;
                const ATTRIBUTES: &'static [&'static str] = &[];
                type HashKey = ::std::string::String;
                type RangeKey = #krate::NoRangeKey;
                type Key = ::std::string::String;
                fn key(&self) -> Self::Key { #unreachable }
                fn key_to_wire(_: &Self::Key) -> ::core::result::Result<#krate::wire::Key, #krate::ConvertError> {
                    #unreachable
                }
                fn key_from_wire(_: &#krate::wire::Key) -> ::core::result::Result<Self::Key, #krate::ConvertError> {
                    #unreachable
                }
                fn to_item(&self) -> ::core::result::Result<#krate::Item, #krate::ConvertError> { #unreachable }
                fn from_attributes<__S: #krate::item::AttributeSource>(_: __S) -> ::core::result::Result<Self, #krate::ConvertError> {
                    #unreachable
                }
            }
            #handles
        };
    }
}
