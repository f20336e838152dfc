//! `rename_all` rules, applied to snake_case field names.

/// A `rename_all` rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
    Lower,
    Upper,
}

/// `(name in the attribute, rule)`.
pub(crate) const RULES: &[(&str, RenameRule)] = &[
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
];

impl RenameRule {
    /// The rule named `name`, if any.
    pub(crate) fn from_name(name: &str) -> Option<RenameRule> {
        RULES.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
    }

    /// The rule names, for an error message.
    pub(crate) fn names() -> String {
        RULES
            .iter()
            .map(|(n, _)| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Applies the rule to a snake_case field name.
    pub(crate) fn apply(self, field: &str) -> String {
        match self {
            RenameRule::Snake => field.to_owned(),
            RenameRule::Lower => field.to_ascii_lowercase(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.replace('_', "-").to_ascii_uppercase(),
            RenameRule::Pascal => pascal(field),
            RenameRule::Camel => {
                let p = pascal(field);
                let mut chars = p.chars();
                match chars.next() {
                    Some(first) => first.to_lowercase().chain(chars).collect(),
                    None => p,
                }
            }
        }
    }
}

fn pascal(field: &str) -> String {
    field
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        let cases = [
            ("PascalCase", "SentBy"),
            ("camelCase", "sentBy"),
            ("snake_case", "sent_by"),
            ("SCREAMING_SNAKE_CASE", "SENT_BY"),
            ("kebab-case", "sent-by"),
            ("SCREAMING-KEBAB-CASE", "SENT-BY"),
            ("lowercase", "sent_by"),
            ("UPPERCASE", "SENT_BY"),
        ];
        for (rule, expected) in cases {
            let rule = RenameRule::from_name(rule).expect("known rule");
            assert_eq!(rule.apply("sent_by"), expected);
        }
        assert_eq!(RenameRule::from_name("Title Case"), None);
    }
}
