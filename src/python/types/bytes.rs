//! Python's `bytes`: its methods (`decode`, `hex`, `split`, `join` …), the
//! `bytes(...)` constructor, `bytes.fromhex`, `str.encode`, and the codecs
//! both use (utf-8, ascii, latin-1, with the `strict`/`ignore`/`replace`
//! error handlers), with CPython 3.11's messages.

use std::rc::Rc;

use super::BuiltinMethod;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, type_error, value_error};
use crate::python::signature::{ArgStyle, Bound, Signature};
use crate::python::value::Value;
use crate::python::vm::Vm;

const fn no_args(name: &'static str) -> Signature {
    Signature::builtin(name, &[], ArgStyle::Exact)
}

const SUB_START_END: &[&str] = &["sub", "start=", "end=", "/"];
const PREFIX_START_END: &[&str] = &["prefix", "start=", "end=", "/"];

/// A new `bytes` value.
pub fn new(b: Vec<u8>) -> Value {
    Value::Bytes(Rc::from(b))
}

/// The methods of `bytes`.
pub static BYTES_METHODS: &[BuiltinMethod<[u8]>] = &[
    BuiltinMethod {
        name: "count",
        sig: Signature::builtin("count", SUB_START_END, ArgStyle::Takes),
        call: |_, s, b| {
            let sub = sub_arg(&b.value("sub"))?;
            let s = window(s, &b)?.1;
            Ok(Value::Int(if sub.is_empty() {
                s.len() as i64 + 1
            } else {
                let mut n = 0;
                let mut k = 0;
                while let Some(i) = find_in(s.get(k..).unwrap_or(&[]), &sub) {
                    n += 1;
                    k += i + sub.len();
                }
                n
            }))
        },
    },
    BuiltinMethod {
        name: "decode",
        sig: Signature::builtin("decode", &["encoding=", "errors="], ArgStyle::Takes),
        call: |_, s, b| {
            let (encoding, errors) = codec_args(&b, "decode")?;
            decode(s, &encoding, &errors).map(|t| Value::str(&t))
        },
    },
    BuiltinMethod {
        name: "endswith",
        sig: Signature::builtin("endswith", PREFIX_START_END, ArgStyle::Takes),
        call: |_, s, b| {
            let s = window(s, &b)?.1;
            affixes(&b, "endswith").map(|a| Value::Bool(a.iter().any(|x| s.ends_with(x))))
        },
    },
    BuiltinMethod {
        name: "find",
        sig: Signature::builtin("find", SUB_START_END, ArgStyle::Takes),
        call: |_, s, b| Ok(Value::Int(find(s, &b)?.unwrap_or(-1))),
    },
    BuiltinMethod {
        name: "hex",
        sig: Signature::builtin("hex", &["sep=", "bytes_per_sep="], ArgStyle::Takes),
        call: |_, s, b| {
            let sep = match b.given("sep") {
                None => String::new(),
                Some(Value::Str(x)) => x.to_string(),
                Some(Value::Bytes(x)) => String::from_utf8_lossy(x).into_owned(),
                Some(other) => {
                    return Err(type_error(format!(
                        "sep must be str or bytes., not {}",
                        other.type_name()
                    )));
                }
            };
            let parts: Vec<String> = s.iter().map(|x| format!("{x:02x}")).collect();
            Ok(Value::str(&parts.join(&sep)))
        },
    },
    BuiltinMethod {
        name: "index",
        sig: Signature::builtin("index", SUB_START_END, ArgStyle::Takes),
        call: |_, s, b| match find(s, &b)? {
            Some(i) => Ok(Value::Int(i)),
            None => Err(value_error("subsection not found")),
        },
    },
    BuiltinMethod {
        name: "join",
        sig: Signature::builtin("join", &["iterable_of_bytes", "/"], ArgStyle::Exact),
        call: |vm, s, b| {
            let items = vm.iterate_value(&b.value("iterable_of_bytes"))?;
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(s);
                }
                match item {
                    Value::Bytes(x) => out.extend_from_slice(x),
                    other => {
                        return Err(type_error(format!(
                            "sequence item {i}: expected a bytes-like object, {} found",
                            other.type_name()
                        )));
                    }
                }
            }
            Ok(new(out))
        },
    },
    BuiltinMethod {
        name: "lower",
        sig: no_args("lower"),
        call: |_, s, _| Ok(new(s.to_ascii_lowercase())),
    },
    BuiltinMethod {
        name: "lstrip",
        sig: Signature::builtin("lstrip", &["bytes=", "/"], ArgStyle::Takes),
        call: |_, s, b| strip(s, &b, "lstrip"),
    },
    BuiltinMethod {
        name: "replace",
        sig: Signature::builtin("replace", &["old", "new", "count=", "/"], ArgStyle::Takes),
        call: |_, s, b| {
            let old = bytes_like(&b.value("old"))?;
            let new_ = bytes_like(&b.value("new"))?;
            let mut count = match b.given("count") {
                Some(v) => super::index_arg(v)?,
                None => -1,
            };
            let mut out = Vec::with_capacity(s.len());
            let mut k = 0;
            if old.is_empty() {
                for (i, &c) in s.iter().enumerate() {
                    if count != 0 {
                        out.extend_from_slice(&new_);
                        count -= 1;
                    }
                    out.push(c);
                    k = i + 1;
                }
                if count != 0 {
                    out.extend_from_slice(&new_);
                }
                let _ = k;
                return Ok(new(out));
            }
            while count != 0
                && let Some(i) = find_in(s.get(k..).unwrap_or(&[]), &old)
            {
                out.extend_from_slice(s.get(k..k + i).unwrap_or(&[]));
                out.extend_from_slice(&new_);
                k += i + old.len();
                count -= 1;
            }
            out.extend_from_slice(s.get(k..).unwrap_or(&[]));
            Ok(new(out))
        },
    },
    BuiltinMethod {
        name: "rstrip",
        sig: Signature::builtin("rstrip", &["bytes=", "/"], ArgStyle::Takes),
        call: |_, s, b| strip(s, &b, "rstrip"),
    },
    BuiltinMethod {
        name: "split",
        sig: Signature::builtin("split", &["sep=", "maxsplit="], ArgStyle::Takes),
        call: |_, s, b| split(s, &b),
    },
    BuiltinMethod {
        name: "startswith",
        sig: Signature::builtin("startswith", PREFIX_START_END, ArgStyle::Takes),
        call: |_, s, b| {
            let s = window(s, &b)?.1;
            affixes(&b, "startswith").map(|a| Value::Bool(a.iter().any(|x| s.starts_with(x))))
        },
    },
    BuiltinMethod {
        name: "strip",
        sig: Signature::builtin("strip", &["bytes=", "/"], ArgStyle::Takes),
        call: |_, s, b| strip(s, &b, "strip"),
    },
    BuiltinMethod {
        name: "upper",
        sig: no_args("upper"),
        call: |_, s, _| Ok(new(s.to_ascii_uppercase())),
    },
];

/// A bytes-like argument, or CPython's `a bytes-like object is required`.
fn bytes_like(v: &Value) -> PyResult<Vec<u8>> {
    match v {
        Value::Bytes(b) => Ok(b.to_vec()),
        other => Err(type_error(format!(
            "a bytes-like object is required, not '{}'",
            other.type_name()
        ))),
    }
}

/// `find`/`count`'s `sub`: bytes, or an int (one byte).
fn sub_arg(v: &Value) -> PyResult<Vec<u8>> {
    match v {
        Value::Bytes(b) => Ok(b.to_vec()),
        Value::Int(_) | Value::Bool(_) => Ok(vec![byte_of(v)?]),
        other => Err(type_error(format!(
            "argument should be integer or bytes-like object, not '{}'",
            other.type_name()
        ))),
    }
}

/// An int in `range(0, 256)`.
fn byte_of(v: &Value) -> PyResult<u8> {
    let i = super::index_arg(v)?;
    u8::try_from(i).map_err(|_| value_error("byte must be in range(0, 256)"))
}

/// The first position of `needle` in `hay`.
fn find_in(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `s[start:end]` for the `start`/`end` arguments, with its offset.
fn window<'a>(s: &'a [u8], b: &Bound) -> PyResult<(usize, &'a [u8])> {
    let n = s.len() as i64;
    let clamp = |v: Option<&Value>, default: i64| -> PyResult<usize> {
        let i = match v {
            Some(v) => super::index_arg(v)?,
            None => default,
        };
        Ok(if i < 0 { (i + n).max(0) } else { i.min(n) } as usize)
    };
    let start = clamp(b.given("start"), 0)?;
    let end = clamp(b.given("end"), n)?;
    Ok((start, s.get(start..end).unwrap_or(&[])))
}

fn find(s: &[u8], b: &Bound) -> PyResult<Option<i64>> {
    let sub = sub_arg(&b.value("sub"))?;
    let (offset, part) = window(s, b)?;
    Ok(find_in(part, &sub).map(|i| (offset + i) as i64))
}

/// `startswith`'s prefix: bytes or a tuple of them.
fn affixes(b: &Bound, method: &str) -> PyResult<Vec<Vec<u8>>> {
    match b.value("prefix") {
        Value::Bytes(x) => Ok(vec![x.to_vec()]),
        Value::Tuple(t) => t
            .iter()
            .map(|v| match v {
                Value::Bytes(x) => Ok(x.to_vec()),
                other => Err(type_error(format!(
                    "a bytes-like object is required, not '{}'",
                    other.type_name()
                ))),
            })
            .collect(),
        other => Err(type_error(format!(
            "{method} first arg must be bytes or a tuple of bytes, not {}",
            other.type_name()
        ))),
    }
}

fn strip(s: &[u8], b: &Bound, which: &str) -> PyResult<Value> {
    let set = match b.given("bytes") {
        None => None,
        Some(v) => Some(bytes_like(v)?),
    };
    let test = |c: &u8| match &set {
        Some(set) => set.contains(c),
        None => c.is_ascii_whitespace() || *c == 0x0b,
    };
    let start = if which == "rstrip" {
        0
    } else {
        s.iter().position(|c| !test(c)).unwrap_or(s.len())
    };
    let end = if which == "lstrip" {
        s.len()
    } else {
        s.iter().rposition(|c| !test(c)).map_or(start, |i| i + 1)
    };
    Ok(new(s.get(start..end.max(start)).unwrap_or(&[]).to_vec()))
}

fn split(s: &[u8], b: &Bound) -> PyResult<Value> {
    let max = match b.given("maxsplit") {
        Some(v) => usize::try_from(super::index_arg(v)?).ok(),
        None => None,
    };
    let mut out: Vec<Value> = Vec::new();
    match b.given("sep") {
        None => {
            let ws = |c: &u8| c.is_ascii_whitespace() || *c == 0x0b;
            let mut k = 0;
            loop {
                while s.get(k).is_some_and(ws) {
                    k += 1;
                }
                if k >= s.len() {
                    break;
                }
                if max.is_some_and(|m| out.len() >= m) {
                    let rest = s.get(k..).unwrap_or(&[]);
                    let end = rest.iter().rposition(|c| !ws(c)).map_or(0, |i| i + 1);
                    out.push(new(rest.get(..end).unwrap_or(&[]).to_vec()));
                    break;
                }
                let end = s
                    .get(k..)
                    .and_then(|r| r.iter().position(ws))
                    .map_or(s.len(), |i| k + i);
                out.push(new(s.get(k..end).unwrap_or(&[]).to_vec()));
                k = end;
            }
        }
        Some(v) => {
            let sep = bytes_like(v)?;
            if sep.is_empty() {
                return Err(value_error("empty separator"));
            }
            let mut k = 0;
            while max.is_none_or(|m| out.len() < m)
                && let Some(i) = find_in(s.get(k..).unwrap_or(&[]), &sep)
            {
                out.push(new(s.get(k..k + i).unwrap_or(&[]).to_vec()));
                k += i + sep.len();
            }
            out.push(new(s.get(k..).unwrap_or(&[]).to_vec()));
        }
    }
    Ok(Value::list(out))
}

/// `item in b`: a byte value or a bytes subsequence.
pub fn contains(b: &[u8], item: &Value) -> PyResult<bool> {
    match item {
        Value::Bytes(x) => Ok(find_in(b, x).is_some()),
        Value::Int(_) | Value::Bool(_) => Ok(b.contains(&byte_of(item)?)),
        other => Err(type_error(format!(
            "a bytes-like object is required, not '{}'",
            other.type_name()
        ))),
    }
}

/// `a + b` with `a` bytes.
pub fn concat(a: &[u8], b: &Value) -> PyResult<Value> {
    match b {
        Value::Bytes(y) => {
            if a.len().saturating_add(y.len()) > crate::python::ops::MAX_STR_LEN {
                return Err(PyErr::new(
                    ExcType::MemoryError,
                    "bytes too large for the tutor",
                ));
            }
            let mut out = a.to_vec();
            out.extend_from_slice(y);
            Ok(new(out))
        }
        other => Err(type_error(format!(
            "can't concat {} to bytes",
            other.type_name()
        ))),
    }
}

/// `b * n`.
pub fn repeat(b: &[u8], n: i64) -> PyResult<Value> {
    let n = n.max(0) as usize;
    if b.len().saturating_mul(n) > crate::python::ops::MAX_STR_LEN {
        return Err(PyErr::new(
            ExcType::MemoryError,
            "bytes too large for the tutor",
        ));
    }
    Ok(new(b.repeat(n)))
}

/// `encoding=`/`errors=` of `decode`/`encode`: strings, utf-8/strict by default.
fn codec_args(b: &Bound, method: &str) -> PyResult<(String, String)> {
    let arg = |name: &str, default: &str| match b.get(name) {
        None => Ok(default.to_string()),
        Some(Value::Str(s)) => Ok(s.to_string()),
        Some(other) => Err(type_error(format!(
            "{method}() argument '{name}' must be str, not {}",
            other.type_name()
        ))),
    };
    Ok((arg("encoding", "utf-8")?, arg("errors", "strict")?))
}

/// The codecs the tutor knows, by Python's normalized name.
#[derive(Clone, Copy, PartialEq)]
enum Codec {
    Utf8,
    Ascii,
    Latin1,
}

impl Codec {
    fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
        }
    }
}

/// `codecs.lookup(encoding)`, for the three codecs; `LookupError` else.
fn codec(encoding: &str) -> PyResult<Codec> {
    let norm = encoding.to_ascii_lowercase().replace(['-', ' '], "_");
    Ok(match norm.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "cp65001" => Codec::Utf8,
        "ascii" | "us_ascii" | "646" => Codec::Ascii,
        "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859" | "cp819"
        | "iso_ir_100" => Codec::Latin1,
        _ => {
            return Err(PyErr::new(
                ExcType::LookupError,
                format!("unknown encoding: {encoding}"),
            ));
        }
    })
}

/// The error handler, checked when an error needs it (as CPython).
fn handler(errors: &str) -> PyResult<&'static str> {
    match errors {
        "strict" => Ok("strict"),
        "ignore" => Ok("ignore"),
        "replace" => Ok("replace"),
        other => Err(PyErr::new(
            ExcType::LookupError,
            format!("unknown error handler name '{other}'"),
        )),
    }
}

/// `where` as CPython words a range: `byte 0xff in position 3`, or
/// `bytes in position 0-1`.
fn decode_error(codec: Codec, b: &[u8], start: usize, end: usize, reason: &str) -> PyErr {
    let what = if end - start == 1 {
        format!(
            "byte 0x{:02x} in position {start}",
            b.get(start).copied().unwrap_or(0)
        )
    } else {
        format!("bytes in position {start}-{}", end - 1)
    };
    PyErr::new(
        ExcType::UnicodeDecodeError,
        format!("'{}' codec can't decode {what}: {reason}", codec.name()),
    )
}

/// `bytes.decode(encoding, errors)`.
pub fn decode(b: &[u8], encoding: &str, errors: &str) -> PyResult<String> {
    let codec = codec(encoding)?;
    let mut out = String::with_capacity(b.len());
    match codec {
        Codec::Latin1 => out.extend(b.iter().map(|&c| char::from(c))),
        Codec::Ascii => {
            for (i, &c) in b.iter().enumerate() {
                if c.is_ascii() {
                    out.push(char::from(c));
                    continue;
                }
                match handler(errors)? {
                    "ignore" => {}
                    "replace" => out.push('\u{fffd}'),
                    _ => {
                        return Err(decode_error(
                            codec,
                            b,
                            i,
                            i + 1,
                            "ordinal not in range(128)",
                        ));
                    }
                }
            }
        }
        Codec::Utf8 => {
            let mut k = 0;
            while k < b.len() {
                let rest = b.get(k..).unwrap_or(&[]);
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        out.push_str(
                            std::str::from_utf8(rest.get(..good).unwrap_or(&[])).unwrap_or(""),
                        );
                        let at = k + good;
                        let (len, reason) = match e.error_len() {
                            None => (b.len() - at, "unexpected end of data"),
                            Some(n) => {
                                let first = b.get(at).copied().unwrap_or(0);
                                let start_byte = matches!(first, 0xc2..=0xf4);
                                (
                                    n,
                                    if start_byte {
                                        "invalid continuation byte"
                                    } else {
                                        "invalid start byte"
                                    },
                                )
                            }
                        };
                        match handler(errors)? {
                            "ignore" => {}
                            "replace" => out.push('\u{fffd}'),
                            _ => return Err(decode_error(codec, b, at, at + len, reason)),
                        }
                        k = at + len.max(1);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// `str.encode(encoding, errors)`.
pub fn encode(s: &str, encoding: &str, errors: &str) -> PyResult<Vec<u8>> {
    let codec = codec(encoding)?;
    if codec == Codec::Utf8 {
        return Ok(s.as_bytes().to_vec());
    }
    let limit: u32 = if codec == Codec::Ascii { 128 } else { 256 };
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if u32::from(c) < limit {
            out.push(u32::from(c) as u8);
            i += 1;
            continue;
        }
        // the run of characters the codec cannot encode
        let end = (i..chars.len())
            .find(|&j| chars.get(j).is_some_and(|&c| u32::from(c) < limit))
            .unwrap_or(chars.len());
        match handler(errors)? {
            "ignore" => {}
            "replace" => out.extend(std::iter::repeat_n(b'?', end - i)),
            _ => {
                let what = if end - i == 1 {
                    // the codec's own escape, not `repr`
                    let code = u32::from(c);
                    let esc = match code {
                        0..=0xff => format!("\\x{code:02x}"),
                        0x100..=0xffff => format!("\\u{code:04x}"),
                        _ => format!("\\U{code:08x}"),
                    };
                    format!("character '{esc}' in position {i}")
                } else {
                    format!("characters in position {i}-{}", end - 1)
                };
                return Err(PyErr::new(
                    ExcType::UnicodeEncodeError,
                    format!(
                        "'{}' codec can't encode {what}: ordinal not in range({limit})",
                        codec.name()
                    ),
                ));
            }
        }
        i = end;
    }
    Ok(out)
}

/// `str.encode(encoding="utf-8", errors="strict")`.
pub fn str_encode(s: &str, b: &Bound) -> PyResult<Value> {
    let (encoding, errors) = codec_args(b, "encode")?;
    encode(s, &encoding, &errors).map(new)
}

/// `bytes(source=b'', encoding=, errors=)`.
pub fn construct(vm: &mut dyn Vm, b: &Bound) -> PyResult<Value> {
    let source = b.get("source");
    let encoding = b.get("encoding");
    if let Some(Value::Str(s)) = source {
        if encoding.is_none() {
            return Err(type_error("string argument without an encoding"));
        }
        return str_encode(s, b);
    }
    if encoding.is_some() || b.get("errors").is_some() {
        return Err(type_error(if source.is_some() {
            "encoding without a string argument"
        } else {
            "encoding or errors without sequence argument"
        }));
    }
    match source {
        None => Ok(new(Vec::new())),
        Some(Value::Bytes(x)) => Ok(Value::Bytes(x.clone())),
        Some(v @ (Value::Int(_) | Value::Bool(_))) => {
            let n = super::index_arg(v)?;
            if n < 0 {
                return Err(value_error("negative count"));
            }
            if n as u64 > crate::python::ops::MAX_STR_LEN as u64 {
                return Err(PyErr::new(
                    ExcType::MemoryError,
                    "bytes too large for the tutor",
                ));
            }
            Ok(new(vec![0; n as usize]))
        }
        Some(v @ (Value::Float(_) | Value::None | Value::Decimal(_))) => Err(type_error(format!(
            "cannot convert '{}' object to bytes",
            v.type_name()
        ))),
        Some(v) => {
            let items = vm.iterate_value(v)?;
            let mut out = Vec::with_capacity(items.len());
            for item in &items {
                let i = super::index_arg(item)?;
                out.push(
                    u8::try_from(i).map_err(|_| value_error("bytes must be in range(0, 256)"))?,
                );
            }
            Ok(new(out))
        }
    }
}

/// `bytes.fromhex(string)`.
pub fn fromhex(v: &Value) -> PyResult<Value> {
    let Value::Str(s) = v else {
        return Err(type_error(format!(
            "fromhex() argument must be str, not {}",
            v.type_name()
        )));
    };
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let bad = |i: usize| {
        value_error(format!(
            "non-hexadecimal number found in fromhex() arg at position {i}"
        ))
    };
    while i < chars.len() {
        if chars.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
            continue;
        }
        let hi = chars
            .get(i)
            .and_then(|c| c.to_digit(16))
            .ok_or_else(|| bad(i))?;
        let lo = chars
            .get(i + 1)
            .and_then(|c| c.to_digit(16))
            .ok_or_else(|| bad(i + 1))?;
        out.push((hi * 16 + lo) as u8);
        i += 2;
    }
    Ok(new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::python::exceptions::test_outcome as err;

    #[test]
    fn decodes_as_cpython() {
        assert_eq!(
            decode(b"caf\xc3\xa9", "utf-8", "strict").ok().as_deref(),
            Some("café")
        );
        assert_eq!(
            err(decode(b"\xff", "utf-8", "strict")),
            "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"
        );
        assert_eq!(
            err(decode(b"\xe2\x82", "utf-8", "strict")),
            "UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-1: unexpected end of data"
        );
        assert_eq!(
            err(decode(b"\xc3(", "utf-8", "strict")),
            "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xc3 in position 0: invalid continuation byte"
        );
        assert_eq!(
            err(decode(b"\xff", "ascii", "strict")),
            "UnicodeDecodeError: 'ascii' codec can't decode byte 0xff in position 0: ordinal not in range(128)"
        );
        assert_eq!(
            decode(b"ab\xffcd", "utf8", "replace").ok().as_deref(),
            Some("ab\u{fffd}cd")
        );
        assert_eq!(
            decode(b"ab\xffcd", "UTF-8", "ignore").ok().as_deref(),
            Some("abcd")
        );
        assert_eq!(
            decode(b"\xe9", "latin-1", "strict").ok().as_deref(),
            Some("é")
        );
        assert_eq!(
            err(decode(b"x", "nope", "strict")),
            "LookupError: unknown encoding: nope"
        );
        assert_eq!(
            err(decode(b"\xff", "utf-8", "bogus")),
            "LookupError: unknown error handler name 'bogus'"
        );
    }

    #[test]
    fn encodes_as_cpython() {
        assert_eq!(
            err(encode("é", "ascii", "strict")),
            "UnicodeEncodeError: 'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)"
        );
        assert_eq!(
            err(encode("éé", "ascii", "strict")),
            "UnicodeEncodeError: 'ascii' codec can't encode characters in position 0-1: ordinal not in range(128)"
        );
        assert_eq!(
            err(encode("€", "latin-1", "strict")),
            "UnicodeEncodeError: 'latin-1' codec can't encode character '\\u20ac' in position 0: ordinal not in range(256)"
        );
        assert_eq!(encode("aé", "ascii", "replace").ok(), Some(b"a?".to_vec()));
        assert_eq!(
            encode("é", "utf-8", "strict").ok(),
            Some(b"\xc3\xa9".to_vec())
        );
    }

    #[test]
    fn fromhex_and_operators() {
        assert_eq!(
            crate::python::format::repr_plain(
                &fromhex(&Value::str("00 ff")).unwrap_or(Value::None)
            ),
            "b'\\x00\\xff'"
        );
        assert_eq!(
            err(fromhex(&Value::str("a"))),
            "ValueError: non-hexadecimal number found in fromhex() arg at position 1"
        );
        assert_eq!(
            err(concat(b"a", &Value::str("b"))),
            "TypeError: can't concat str to bytes"
        );
        assert_eq!(
            err(contains(b"abc", &Value::Int(300))),
            "ValueError: byte must be in range(0, 256)"
        );
        assert!(matches!(contains(b"abc", &Value::Int(97)), Ok(true)));
    }
}
