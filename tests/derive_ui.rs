//! Compile-fail and compile-pass cases of `#[derive(DynamoItem)]` and of the
//! typed builders. Regenerate the pinned output with `TRYBUILD=overwrite`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/keys/*.rs");
    t.compile_fail("tests/ui/attrs/*.rs");
    t.compile_fail("tests/ui/shape/*.rs");
    t.compile_fail("tests/ui/ops/*.rs");
    t.compile_fail("tests/ui/*.rs");
}
