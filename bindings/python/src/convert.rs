//! Python values to the core's JSON options, and JSON results back.
//!
//! Keyword names are turned into auth0.js option names at the top level
//! only (`client_id` → `clientID`, `redirect_uri` → `redirectUri`; camelCase
//! names pass through); nested values are the caller's data and keep their
//! keys. `None` becomes JSON `null`, which the core reads as "not given" (or,
//! for `logout(client_id=None)`, "leave it out").

use crate::errors::to_py_err;
use auth0_native::casing::{camel_to_snake, keyword_to_option_name};
use auth0_native::secret::{AccessToken, IdToken, RefreshToken};
use auth0_native::{AuthResult, Error, Options};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Number, Value};
use std::collections::HashMap;
use std::fmt::Write as _;

/// The deepest nesting of dicts and lists accepted in a value. Options are
/// shallow; the bound turns a list that contains itself into an error
/// instead of a stack overflow.
const MAX_DEPTH: usize = 32;

/// The options object for a call's `**keywords`.
///
/// Raises `InvalidArgumentError` naming the keyword (and the place inside
/// it) for a value of a type JSON cannot carry, and for one option given
/// under two spellings (`client_id=` and `clientID=`). Messages name types,
/// never values.
pub(crate) fn keywords_to_options(keywords: Option<&Bound<'_, PyDict>>) -> PyResult<Value> {
    let mut options = Options::new();
    let Some(keywords) = keywords else {
        return Ok(Value::Object(options));
    };
    let py = keywords.py();
    // option name → the keyword that gave it, to report a double spelling.
    let mut given_as: HashMap<String, String> = HashMap::new();
    for (key, value) in keywords.iter() {
        // Python only lets `str` keys into `**keywords`.
        let keyword = text(&key, "a keyword name")?;
        let name = keyword_to_option_name(&keyword);
        if let Some(first) = given_as.get(&name) {
            return Err(invalid(
                py,
                format!("{name} option is given twice (as {first} and as {keyword})"),
            ));
        }
        let mut path = keyword.clone();
        options.insert(name.clone(), to_json(&value, &mut path, 0)?);
        given_as.insert(name, keyword);
    }
    Ok(Value::Object(options))
}

/// One value as JSON; `path` names it in messages (`app_state["tags"][2]`).
fn to_json(value: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> PyResult<Value> {
    let py = value.py();
    if depth > MAX_DEPTH {
        return Err(invalid(
            py,
            format!("{path} is nested too deeply (more than {MAX_DEPTH} levels)"),
        ));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    // Before int: Python's bool is a subclass of int.
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(i) = value.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = value.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(invalid(
            py,
            format!("{path} is an integer out of range (64 bits at most)"),
        ));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| invalid(py, format!("{path} is not a finite number")));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(Value::String(text(value, path)?));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut object = Options::new();
        for (key, item) in dict.iter() {
            if !key.is_instance_of::<PyString>() {
                return Err(invalid(
                    py,
                    format!(
                        "{path} has a key of type {}; dict keys must be str",
                        type_name(&key)
                    ),
                ));
            }
            let key = text(&key, &format!("a key of {path}"))?;
            let len = path.len();
            let _ = write!(path, "[{key:?}]");
            let item = to_json(&item, path, depth + 1)?;
            path.truncate(len);
            object.insert(key, item);
        }
        return Ok(Value::Object(object));
    }
    if let Ok(list) = value.cast::<PyList>() {
        return sequence(list.iter(), path, depth);
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return sequence(tuple.iter(), path, depth);
    }
    // `pathlib.Path` and other `os.PathLike` for `transaction={"path": ...}`.
    if value.hasattr("__fspath__")? {
        let fspath = value.call_method0("__fspath__")?;
        if fspath.is_instance_of::<PyString>() {
            return Ok(Value::String(text(&fspath, path)?));
        }
    }
    Err(invalid(
        py,
        format!(
            "{path} has an unsupported type ({}); option values are str, int, float, bool, \
             None, dict, list or tuple",
            type_name(value)
        ),
    ))
}

fn sequence<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    path: &mut String,
    depth: usize,
) -> PyResult<Value> {
    let mut array = Vec::new();
    for (index, item) in items.enumerate() {
        let len = path.len();
        let _ = write!(path, "[{index}]");
        array.push(to_json(&item, path, depth + 1)?);
        path.truncate(len);
    }
    Ok(Value::Array(array))
}

/// A `str` as UTF-8; a lone surrogate is refused naming `what`.
fn text(value: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    value
        .cast::<PyString>()
        .ok()
        .and_then(|s| s.to_cow().ok())
        .map(|s| s.into_owned())
        .ok_or_else(|| {
            invalid(
                value.py(),
                format!("{what} is not valid Unicode text (it holds a lone surrogate)"),
            )
        })
}

/// A positional `str` argument as UTF-8: PyO3 has checked its type (a
/// `TypeError` naming it otherwise); a lone surrogate, which has no UTF-8
/// form, is an `InvalidArgumentError` naming `name` rather than a raw
/// `UnicodeEncodeError`.
pub(crate) fn str_argument(value: &Bound<'_, PyString>, name: &str) -> PyResult<String> {
    text(value.as_any(), name)
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn invalid(py: Python<'_>, message: String) -> PyErr {
    to_py_err(py, Error::invalid_argument(message))
}

/// JSON as Python: objects become dicts, arrays lists, `null` None. Keys
/// are kept as they are (for server bodies such as `Auth0Error.original`).
pub(crate) fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// A core result as Python: auth0.js's camelCase keys become snake_case
/// (`accessToken` → `access_token`, `Id` → `id`) at the TOP LEVEL only, the
/// shape the `.pyi` `TypedDict`s describe. Nested values — the claims of
/// `id_token_payload`, `app_state`, server JSON — are data and keep their
/// keys exactly as the server or the caller wrote them.
pub(crate) fn result_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(camel_to_snake(key), json_to_py(py, item)?)?;
            }
            Ok(dict.into_any())
        }
        other => json_to_py(py, other),
    }
}

/// An authResult as the `AuthResult` dict: its nine keys in snake_case,
/// each `None` when absent.
pub(crate) fn auth_result_to_py<'py>(
    py: Python<'py>,
    result: &AuthResult,
) -> PyResult<Bound<'py, PyAny>> {
    // Field by field: no intermediate JSON copy of the tokens and claims,
    // interned keys (issue 7's Python parseHash figure). The keys and their
    // order are those of the serialised struct (the C API's JSON), which
    // tests/test_login.py checks.
    let text = |v: &Option<String>| match v {
        Some(s) => PyString::new(py, s).into_any(),
        None => py.None().into_bound(py),
    };
    let secret = |v: Option<&str>| match v {
        Some(s) => PyString::new(py, s).into_any(),
        None => py.None().into_bound(py),
    };
    let json = |v: &Option<Value>| match v {
        Some(v) => json_to_py(py, v),
        None => Ok(py.None().into_bound(py)),
    };
    let dict = PyDict::new(py);
    dict.set_item(
        intern!(py, "access_token"),
        secret(result.access_token.as_ref().map(AccessToken::secret)),
    )?;
    dict.set_item(
        intern!(py, "id_token"),
        secret(result.id_token.as_ref().map(IdToken::secret)),
    )?;
    dict.set_item(
        intern!(py, "id_token_payload"),
        json(&result.id_token_payload)?,
    )?;
    dict.set_item(intern!(py, "app_state"), json(&result.app_state)?)?;
    dict.set_item(
        intern!(py, "refresh_token"),
        secret(result.refresh_token.as_ref().map(RefreshToken::secret)),
    )?;
    dict.set_item(intern!(py, "state"), text(&result.state))?;
    dict.set_item(intern!(py, "expires_in"), result.expires_in)?;
    dict.set_item(intern!(py, "token_type"), text(&result.token_type))?;
    dict.set_item(intern!(py, "scope"), text(&result.scope))?;
    Ok(dict.into_any())
}

/// A positional argument that holds data (a dict of user metadata, the
/// device code dict) as JSON, with the keys as given; `what` names it in
/// messages.
pub(crate) fn argument_to_json(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    let mut path = what.to_owned();
    to_json(value, &mut path, 0)
}
