//! The derive's output uses absolute paths only: shadowing prelude and std
//! names around it changes nothing.
#![allow(dead_code, non_camel_case_types)]

struct Result;
struct Option;
struct String;
struct HashMap;
struct Vec;
struct Default;
struct Clone;
struct Some;
struct None;
struct Ok;
struct Err;
struct Box;
mod core {}
mod std {}
mod dynamo {}

#[derive(::dynamo::DynamoItem)]
#[dynamo(table = "hygiene")]
struct Shadowed {
    #[dynamo(hash_key)]
    id: u64,
    #[dynamo(range_key)]
    at: i32,
    name: ::core::option::Option<::std::string::String>,
    #[dynamo(default)]
    views: u32,
    #[dynamo(skip)]
    cache: u8,
    #[dynamo(version)]
    version: u64,
}

fn main() {
    let _ = Shadowed::NAME;
}
