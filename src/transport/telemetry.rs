//! The `Auth0-Client` telemetry value (header, and the `auth0Client` query
//! parameter of the URLs this library builds).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

/// Which face of the library a handle was created through; it is named in
/// the telemetry payload's `env`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    /// The Rust crate used directly.
    Rust,
    /// The C library (`bindings/c`).
    C,
    /// The Python module (`bindings/python`).
    Python,
}

impl Binding {
    fn name(self) -> &'static str {
        match self {
            Binding::Rust => "rust",
            Binding::C => "c",
            Binding::Python => "python",
        }
    }
}

/// The default payload: `{"name":"auth0-native","version":…,"env":{binding: version}}`.
#[must_use]
pub fn default_info(binding: Binding) -> Value {
    let version = env!("CARGO_PKG_VERSION");
    json!({"name": "auth0-native", "version": version, "env": {binding.name(): version}})
}

/// v8's encoding: standard base64 of the JSON, `+`→`-`, `/`→`_`, padding kept.
#[must_use]
pub fn encode(info: &Value) -> String {
    STANDARD
        .encode(info.to_string())
        .replace('+', "-")
        .replace('/', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v8_default_payload_encodes_to_v8_value() {
        // The value auth0.js 8.12.3 sends, from the wire spec §1.2.
        let v8 = json!({"name": "auth0.js", "version": "8.12.3"});
        assert_eq!(
            encode(&v8),
            "eyJuYW1lIjoiYXV0aDAuanMiLCJ2ZXJzaW9uIjoiOC4xMi4zIn0="
        );
    }

    #[test]
    fn default_info_names_this_library_and_binding() {
        let info = default_info(Binding::C);
        assert_eq!(info["name"], "auth0-native");
        assert_eq!(info["env"]["c"], env!("CARGO_PKG_VERSION"));
    }
}
