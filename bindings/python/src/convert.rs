//! Python values to the core's JSON options, and JSON results back.
//!
//! Keyword names are turned into auth0.js option names at the top level
//! only (`client_id` → `clientID`, `redirect_uri` → `redirectUri`; camelCase
//! names pass through); nested values are the caller's data and keep their
//! keys. `None` becomes JSON `null`, which the core reads as "not given" (or,
//! for `logout(client_id=None)`, "leave it out").

use crate::errors::to_py_err;
use crate::keywords::{Keywords, Seconds, RETRY_COUNTS, SECONDS};
use auth0_native::casing::{camel_to_snake, keyword_to_option_name};
use auth0_native::secret::{AccessToken, IdToken, RefreshToken};
use auth0_native::{AuthResult, ClaimValue, Error, IdTokenClaims, Options};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The deepest nesting of dicts and lists accepted in a value. Options are
/// shallow; the bound turns a list that contains itself into an error
/// instead of a stack overflow.
const MAX_DEPTH: usize = 32;

/// The options object for a call's `**keywords`, checked against what
/// the method takes (`accepts`, see [`crate::keywords`]).
///
/// Raises `TypeError` naming a keyword the method does not take (Python's
/// own wording), `InvalidArgumentError` naming the keyword (and the place
/// inside it) for a value of a type JSON cannot carry, for a time that is
/// not a positive number of seconds, and for one option given under two
/// spellings (`client_id=` and `clientID=`). Times become auth0.js's
/// milliseconds; `extra_params` entries are added as given. Messages name
/// types, never values.
pub(crate) fn keywords_to_options(
    keywords: Option<&Bound<'_, PyDict>>,
    accepts: &Keywords,
) -> PyResult<Value> {
    let mut options = Options::new();
    let Some(keywords) = keywords else {
        return Ok(Value::Object(options));
    };
    let py = keywords.py();
    // option name → the keyword that gave it, to report a double spelling.
    let mut given_as: HashMap<String, String> = HashMap::new();
    let mut extra = None;
    for (key, value) in keywords.iter() {
        // Python only lets `str` keys into `**keywords`.
        let keyword = text(&key, "a keyword name")?;
        if keyword == EXTRA_PARAMS && accepts.extra_params {
            extra = Some(value);
            continue;
        }
        let name = keyword_to_option_name(&keyword);
        if !accepts.accepts(&name) {
            return Err(unexpected_keyword(accepts.method, &keyword));
        }
        if let Some(first) = given_as.get(&name) {
            return Err(invalid(
                py,
                format!("{name} option is given twice (as {first} and as {keyword})"),
            ));
        }
        let json = if value.is_none() {
            Value::Null
        } else if let Some(time) = top_level_seconds(&name) {
            seconds_to_millis(&value, time.option)?
        } else if name == "retry" {
            retry_to_json(&value, accepts.method)?
        } else {
            let mut path = keyword.clone();
            to_json(&value, &mut path, 0)?
        };
        options.insert(name.clone(), json);
        given_as.insert(name, keyword);
    }
    if let Some(extra) = extra {
        add_extra_params(&mut options, &extra, accepts)?;
    }
    Ok(Value::Object(options))
}

/// The keywords of a method whose options are all strings (or, in
/// `numbers`, numbers), straight into one slot per auth0.js name in
/// `names` — no JSON object. `None` when any keyword needs more than that
/// (a name not in `names`, one option under two spellings, a value of
/// another type, a lone surrogate): the caller then takes
/// [`keywords_to_options`], which raises the error it always raised, so
/// both paths accept and refuse the same calls with the same messages.
pub(crate) fn keywords_to_slots<'py, const N: usize>(
    keywords: Option<&Bound<'py, PyDict>>,
    names: [&str; N],
    numbers: &[&str],
) -> Option<[Slot; N]> {
    let mut slots: [Option<Slot>; N] = std::array::from_fn(|_| None);
    let Some(keywords) = keywords else {
        return Some(std::array::from_fn(|_| Slot::None));
    };
    for (key, value) in keywords.iter() {
        let key = key.cast::<PyString>().ok()?;
        let key = key.to_cow().ok()?;
        // A keyword without `_` is its own option name (`state`, `nonce`):
        // no renamed copy of it per call.
        let name = if key.contains('_') {
            Cow::Owned(keyword_to_option_name(&key))
        } else {
            key
        };
        let i = names.iter().position(|n| *n == name)?;
        if slots[i].is_some() {
            return None;
        }
        slots[i] = Some(if value.is_none() {
            Slot::None
        } else if let Ok(s) = value.cast::<PyString>() {
            if numbers.contains(&names[i]) {
                return None;
            }
            Slot::Str(s.to_cow().ok()?.into_owned())
        } else if numbers.contains(&names[i])
            && !value.is_instance_of::<PyBool>()
            && (value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>())
        {
            // As `to_json` reads it: an int of 64 bits at most, a finite float.
            let n = if value.is_instance_of::<PyInt>() {
                match value.extract::<i64>() {
                    Ok(i) => i as f64,
                    Err(_) => value.extract::<u64>().ok()? as f64,
                }
            } else {
                value.extract::<f64>().ok()?
            };
            if !n.is_finite() {
                return None;
            }
            Slot::Number(n)
        } else {
            return None;
        });
    }
    Some(slots.map(|s| s.unwrap_or(Slot::None)))
}

/// One keyword read by [`keywords_to_slots`].
pub(crate) enum Slot {
    /// Not given, or `None`.
    None,
    Str(String),
    Number(f64),
}

impl Slot {
    /// The string, when one was given.
    pub(crate) fn into_str(self) -> Option<String> {
        match self {
            Slot::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The keyword of the parameters sent as given.
const EXTRA_PARAMS: &str = "extra_params";

fn unexpected_keyword(method: &str, keyword: &str) -> PyErr {
    PyTypeError::new_err(format!(
        "{method}() got an unexpected keyword argument '{keyword}'"
    ))
}

fn top_level_seconds(option: &str) -> Option<&'static Seconds> {
    SECONDS
        .iter()
        .find(|s| s.within.is_none() && s.option == option)
}

/// A time in seconds (int or float, finite, more than 0) as the
/// milliseconds of auth0.js's `option`. The core checks the upper bound of
/// each option (its message is in milliseconds).
pub(crate) fn seconds_to_millis(value: &Bound<'_, PyAny>, option: &str) -> PyResult<Value> {
    let py = value.py();
    let not_valid = || {
        invalid(
            py,
            format!("{option} option is not valid (seconds, a number greater than 0)"),
        )
    };
    if value.is_instance_of::<PyBool>()
        || !(value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>())
    {
        return Err(not_valid());
    }
    let seconds: f64 = value.extract().map_err(|_| not_valid())?;
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err(not_valid());
    }
    // A positive time shorter than the core's 1 ms unit is 1 ms, not 0.
    let millis = (seconds * 1000.0).max(1.0);
    Ok(if millis.fract() == 0.0 && millis < 9.0e15 {
        Value::from(millis as i64)
    } else {
        Number::from_f64(millis).map_or(Value::Null, Value::Number)
    })
}

/// `retry=True`/`False`, or a dict of [`RETRY_COUNTS`] and the
/// [`SECONDS`] within `retry`, as auth0.js's `retry` option.
fn retry_to_json(value: &Bound<'_, PyAny>, method: &str) -> PyResult<Value> {
    let Ok(dict) = value.cast::<PyDict>() else {
        let mut path = "retry".to_owned();
        return to_json(value, &mut path, 0);
    };
    let mut retry = Options::new();
    for (key, item) in dict.iter() {
        let key = text(&key, "a key of retry")?;
        let time = SECONDS
            .iter()
            .find(|s| s.within == Some("retry") && s.python == key);
        let count = RETRY_COUNTS
            .iter()
            .find(|(python, option)| *python == key || *option == key);
        let (option, json) = match (time, count) {
            (Some(time), _) if item.is_none() => (time.option, Value::Null),
            (Some(time), _) => (
                time.option,
                seconds_to_millis(&item, &format!("retry.{}", time.option))?,
            ),
            (None, Some((_, option))) => {
                let mut path = format!("retry[{key:?}]");
                (*option, to_json(&item, &mut path, 1)?)
            }
            (None, None) => {
                return Err(PyTypeError::new_err(format!(
                    "{method}() got an unexpected key '{key}' in retry (it takes {})",
                    retry_keys()
                )))
            }
        };
        retry.insert(option.to_owned(), json);
    }
    Ok(Value::Object(retry))
}

fn retry_keys() -> String {
    RETRY_COUNTS
        .iter()
        .map(|(python, _)| *python)
        .chain(
            SECONDS
                .iter()
                .filter(|s| s.within == Some("retry"))
                .map(|s| s.python),
        )
        .collect::<Vec<_>>()
        .join(", ")
}

/// `extra_params`: a dict of `/authorize` (or request) parameters the
/// method does not name, added with their keys as given. A key that names
/// one of the method's own options must be given as that keyword.
fn add_extra_params(
    options: &mut Options,
    extra: &Bound<'_, PyAny>,
    accepts: &Keywords,
) -> PyResult<()> {
    let py = extra.py();
    if extra.is_none() {
        return Ok(());
    }
    let Ok(dict) = extra.cast::<PyDict>() else {
        return Err(invalid(
            py,
            format!(
                "{EXTRA_PARAMS} is not valid (a dict of parameters, not {})",
                type_name(extra)
            ),
        ));
    };
    for (key, item) in dict.iter() {
        if !key.is_instance_of::<PyString>() {
            return Err(invalid(
                py,
                format!(
                    "{EXTRA_PARAMS} has a key of type {}; keys must be str",
                    type_name(&key)
                ),
            ));
        }
        let key = text(&key, &format!("a key of {EXTRA_PARAMS}"))?;
        let name = keyword_to_option_name(&key);
        if accepts.accepts(&name) || options.contains_key(&key) {
            return Err(invalid(
                py,
                format!(
                    "{EXTRA_PARAMS}[{key:?}] is an option of {}(); pass it as a keyword",
                    accepts.method
                ),
            ));
        }
        let mut path = format!("{EXTRA_PARAMS}[{key:?}]");
        options.insert(key, to_json(&item, &mut path, 1)?);
    }
    Ok(())
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
        Value::Number(n) => number_to_py(py, n)?,
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

/// A JSON number as an `int` when it is a whole one JSON wrote so, else
/// a `float`.
fn number_to_py<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    Ok(match (n.as_i64(), n.as_u64()) {
        (Some(i), _) => i.into_pyobject(py)?.into_any(),
        (None, Some(u)) => u.into_pyobject(py)?.into_any(),
        _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
    })
}

/// Verified id_token claims as the dict of the token's object: its keys
/// in its order, each value as written (`json_to_py` of the payload as
/// JSON, without building that JSON).
pub(crate) fn claims_to_py<'py>(
    py: Python<'py>,
    claims: &IdTokenClaims,
) -> PyResult<Bound<'py, PyAny>> {
    let dict = PyDict::new(py);
    for (name, value) in claims.iter() {
        let value = match value {
            ClaimValue::Null => py.None().into_bound(py),
            ClaimValue::String(s) => PyString::new(py, s).into_any(),
            ClaimValue::Number(n) => number_to_py(py, n)?,
            ClaimValue::Strings(items) => PyList::new(py, items)?.into_any(),
            ClaimValue::Json(v) => json_to_py(py, v)?,
        };
        dict.set_item(crate::claim_names::claim_name(py, name), value)?;
    }
    Ok(dict.into_any())
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
    // Destructured, so that a field added to the core's `AuthResult` fails
    // to compile here instead of silently missing from Python. Field by
    // field: no intermediate JSON copy of the tokens and claims, interned
    // keys (the Python parseHash figure). The keys and their order are
    // those of the serialised struct (the C API's JSON), which
    // tests/test_login.py checks.
    let AuthResult {
        access_token,
        id_token,
        id_token_payload,
        app_state,
        refresh_token,
        state,
        expires_in,
        token_type,
        scope,
    } = result;
    let text = |v: Option<&str>| match v {
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
        text(access_token.as_ref().map(AccessToken::secret)),
    )?;
    dict.set_item(
        intern!(py, "id_token"),
        text(id_token.as_ref().map(IdToken::secret)),
    )?;
    let claims = match id_token_payload {
        Some(c) => claims_to_py(py, c)?,
        None => py.None().into_bound(py),
    };
    dict.set_item(intern!(py, "id_token_payload"), claims)?;
    dict.set_item(intern!(py, "app_state"), json(app_state)?)?;
    dict.set_item(
        intern!(py, "refresh_token"),
        text(refresh_token.as_ref().map(RefreshToken::secret)),
    )?;
    dict.set_item(intern!(py, "state"), text(state.as_deref()))?;
    dict.set_item(intern!(py, "expires_in"), *expires_in)?;
    dict.set_item(intern!(py, "token_type"), text(token_type.as_deref()))?;
    dict.set_item(intern!(py, "scope"), text(scope.as_deref()))?;
    Ok(dict.into_any())
}

/// `parse_hash`'s answer: the `AuthResult` dict, or `None`.
pub(crate) fn optional_auth_result_to_py<'py>(
    py: Python<'py>,
    result: &Option<AuthResult>,
) -> PyResult<Bound<'py, PyAny>> {
    match result {
        Some(result) => auth_result_to_py(py, result),
        None => Ok(py.None().into_bound(py)),
    }
}

/// A URL or another text answer as a `str`.
#[allow(
    clippy::ptr_arg,
    reason = "the shape of `gil::call`'s converters: `&T` of the core's `String`"
)]
pub(crate) fn text_to_py<'py>(py: Python<'py>, text: &String) -> PyResult<Bound<'py, PyAny>> {
    Ok(PyString::new(py, text).into_any())
}

/// A positional argument that holds data (a dict of user metadata, the
/// device code dict) as JSON, with the keys as given; `what` names it in
/// messages.
pub(crate) fn argument_to_json(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    let mut path = what.to_owned();
    to_json(value, &mut path, 0)
}
