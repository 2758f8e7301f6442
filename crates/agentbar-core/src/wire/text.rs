//! Validated text values: one type per kind of value a request carries, made only through
//! the adapter's rule for it, so nothing half-checked reaches a server.

/// Declares a validated text newtype.
///
/// `validated_text!(/// docs \n Name, "field", check)` makes `pub struct Name(String)` with
/// `parse` (running `check: fn(&str) -> Result<(), String>` and naming `field` in the
/// [`ProtocolError::Invalid`](crate::wire::ProtocolError::Invalid) it returns), `as_str`,
/// `TryFrom<&str>`, `FromStr`, `AsRef<str>` and `Display`. The rule stays the adapter's: it
/// is the seed's; the mechanics are the same for every adapter.
#[macro_export]
macro_rules! validated_text {
    ($(#[$meta:meta])* $name:ident, $field:literal, $check:path) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Checks `value` against the rule above.
            ///
            /// # Errors
            ///
            /// [`ProtocolError::Invalid`]($crate::wire::ProtocolError::Invalid) naming the
            /// field and the broken rule, never the value.
            pub fn parse(value: &str) -> Result<Self, $crate::wire::ProtocolError> {
                $check(value).map_err(|reason: String| {
                    $crate::wire::ProtocolError::invalid($field, reason)
                })?;
                Ok(Self(value.to_owned()))
            }

            /// The validated text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::wire::ProtocolError;
            fn try_from(value: &str) -> Result<Self, Self::Error> {
                Self::parse(value)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::wire::ProtocolError;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::parse(value)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::wire::ProtocolError;

    fn digits(v: &str) -> Result<(), String> {
        if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            Ok(())
        } else {
            Err("digits only".into())
        }
    }

    crate::validated_text!(
        /// Digits.
        Digits,
        "exten",
        digits
    );

    #[test]
    fn made_only_through_the_rule_and_the_error_names_the_field_not_the_value() {
        assert_eq!(Digits::parse("801").unwrap().as_str(), "801");
        assert_eq!("801".parse::<Digits>().unwrap().to_string(), "801");
        assert_eq!(Digits::try_from("801").unwrap().as_ref(), "801");
        let e = Digits::parse("80a1").unwrap_err();
        assert_eq!(e, ProtocolError::invalid("exten", "digits only"));
        assert!(!e.to_string().contains("80a1"));
    }
}
