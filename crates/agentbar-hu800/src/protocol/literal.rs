//! A lenient reader (and a writer) of JavaScript object literals: the `content` of recvMsg's
//! messages (seed 2.4: "来去电时使用 JS 解析这个内容") is one, not JSON.
//!
//! # Format
//!
//! ```text
//! {status:0,cdrId:123,paramvalue:'a,b'}
//! {"status":"1","cdrId":"282982852097151",}
//! { status : 3 , note : "say \"hi\"\n" , tags : ['a', 2, null] }
//! ```
//!
//! Keys may be bare words, quoted strings or numbers; strings take `'` or `"` and the escapes
//! of JavaScript (`\n \t \' \" \\ \uXXXX \u{...} \xHH`, an unknown escape stands for its
//! letter); numbers, `true`, `false`, `null` and `undefined`; trailing commas; `//` and `/* */`
//! comments. A bare word that is no keyword reads as a string (`{status:ringing}`). Anything
//! else is an error, never a panic: input is bounded to [`MAX_LEN`] bytes and [`MAX_DEPTH`]
//! levels.
//!
//! JSON is a subset, so the same reader takes the JSON `memo` of pushes (seed 2.7).

use super::ProtocolError;

/// The longest text read.
pub const MAX_LEN: usize = 64 * 1024;
/// The deepest nesting read.
pub const MAX_DEPTH: usize = 32;

/// A value of an object literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `null` or `undefined`.
    Null,
    Bool(bool),
    /// A number as written (without a leading `+`), so that a 64-bit id keeps every digit.
    Number(String),
    Str(String),
    Array(Vec<Literal>),
    /// Members in the order written; a key written twice keeps both (the last one counts).
    Object(Vec<(String, Literal)>),
}

impl Literal {
    /// The last member named `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Literal> {
        match self {
            Literal::Object(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A string or number as text (the number as written).
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Literal::Str(s) | Literal::Number(s) => Some(s),
            _ => None,
        }
    }

    /// An integer written as a number or a string of one (`0`, `"3"`, `1.0`).
    pub fn as_int(&self) -> Option<i64> {
        let t = self.as_text()?.trim();
        t.parse::<i64>().ok().or_else(|| {
            t.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e18)
                .map(|f| f as i64)
        })
    }
}

fn err(reason: impl Into<String>) -> ProtocolError {
    ProtocolError::malformed("content", reason)
}

/// Reads one value, alone in `text` (an optional `;` may follow).
///
/// # Errors
///
/// [`ProtocolError::Malformed`] for anything that is not one value, or too long or deep.
pub fn parse_literal(text: &str) -> Result<Literal, ProtocolError> {
    if text.len() > MAX_LEN {
        return Err(err(format!("longer than {MAX_LEN} bytes")));
    }
    let mut p = Parser {
        s: text.trim_start_matches('\u{feff}').chars().collect(),
        i: 0,
    };
    let v = p.value(0)?;
    p.ws()?;
    if p.peek() == Some(';') {
        p.i += 1;
        p.ws()?;
    }
    if p.peek().is_some() {
        return Err(err("text after the value"));
    }
    Ok(v)
}

/// Reads an object literal.
///
/// # Errors
///
/// As [`parse_literal`], and when the value is not an object.
pub fn parse_object_literal(text: &str) -> Result<Literal, ProtocolError> {
    match parse_literal(text)? {
        v @ Literal::Object(_) => Ok(v),
        _ => Err(err("not an object")),
    }
}

struct Parser {
    s: Vec<char>,
    i: usize,
}

/// Characters that end a bare word.
fn ends_word(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | ':' | '{' | '}' | '[' | ']' | '\'' | '"' | ';' | '/'
        )
}

/// `-?(digits[.digits?]|.digits)([eE][+-]?digits)?`
fn is_number(w: &str) -> bool {
    let b = w.strip_prefix('-').unwrap_or(w).as_bytes();
    let mut i = 0;
    let int = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int;
    let mut frac = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac;
    }
    if int + frac == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = b[i.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    /// Skips white space and comments.
    fn ws(&mut self) -> Result<(), ProtocolError> {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_whitespace() || c == '\u{feff}' => self.i += 1,
                (Some('/'), Some('/')) => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.i += 1;
                    }
                }
                (Some('/'), Some('*')) => {
                    self.i += 2;
                    loop {
                        match (self.peek(), self.peek_at(1)) {
                            (None, _) => return Err(err("an unclosed comment")),
                            (Some('*'), Some('/')) => {
                                self.i += 2;
                                break;
                            }
                            _ => self.i += 1,
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Literal, ProtocolError> {
        if depth > MAX_DEPTH {
            return Err(err(format!("nested deeper than {MAX_DEPTH}")));
        }
        self.ws()?;
        match self.peek() {
            None => Err(err("a value is missing")),
            Some('{') => self.object(depth),
            Some('[') => self.array(depth),
            Some(q @ ('\'' | '"')) => self.string(q).map(Literal::Str),
            Some(c) if ends_word(c) => Err(err(format!("unexpected {c:?}"))),
            Some(_) => Ok(Self::word_value(self.word())),
        }
    }

    fn word(&mut self) -> String {
        let start = self.i;
        while self.peek().is_some_and(|c| !ends_word(c)) {
            self.i += 1;
        }
        self.s[start..self.i].iter().collect()
    }

    fn word_value(w: String) -> Literal {
        match w.as_str() {
            "true" => Literal::Bool(true),
            "false" => Literal::Bool(false),
            "null" | "undefined" => Literal::Null,
            _ => {
                let n = w.strip_prefix('+').unwrap_or(&w);
                if is_number(n) {
                    Literal::Number(n.to_string())
                } else {
                    Literal::Str(w)
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Literal, ProtocolError> {
        self.i += 1;
        let mut members = Vec::new();
        loop {
            self.ws()?;
            let key = match self.peek() {
                None => return Err(err("an unclosed object")),
                Some('}') => {
                    self.i += 1;
                    return Ok(Literal::Object(members));
                }
                Some(q @ ('\'' | '"')) => self.string(q)?,
                Some(c) if ends_word(c) => return Err(err(format!("unexpected {c:?} for a key"))),
                Some(_) => self.word(),
            };
            self.ws()?;
            if self.peek() != Some(':') {
                return Err(err("a key without ':'"));
            }
            self.i += 1;
            let v = self.value(depth + 1)?;
            members.push((key, v));
            self.ws()?;
            match self.peek() {
                Some(',') => self.i += 1,
                Some('}') => {}
                None => return Err(err("an unclosed object")),
                Some(c) => return Err(err(format!("unexpected {c:?} after a member"))),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Literal, ProtocolError> {
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.ws()?;
            match self.peek() {
                None => return Err(err("an unclosed array")),
                Some(']') => {
                    self.i += 1;
                    return Ok(Literal::Array(items));
                }
                _ => {}
            }
            items.push(self.value(depth + 1)?);
            self.ws()?;
            match self.peek() {
                Some(',') => self.i += 1,
                Some(']') => {}
                None => return Err(err("an unclosed array")),
                Some(c) => return Err(err(format!("unexpected {c:?} after an item"))),
            }
        }
    }

    fn hex(&mut self, n: usize) -> Option<u32> {
        let mut v = 0u32;
        for _ in 0..n {
            let d = self.peek()?.to_digit(16)?;
            v = v * 16 + d;
            self.i += 1;
        }
        Some(v)
    }

    /// `\uXXXX`, `\u{X...}`; a lone surrogate half becomes U+FFFD.
    fn unicode_escape(&mut self) -> Result<char, ProtocolError> {
        if self.peek() == Some('{') {
            self.i += 1;
            let start = self.i;
            while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) && self.i - start < 6 {
                self.i += 1;
            }
            let digits: String = self.s[start..self.i].iter().collect();
            if self.peek() != Some('}') || digits.is_empty() {
                return Err(err("a broken \\u{...} escape"));
            }
            self.i += 1;
            let v =
                u32::from_str_radix(&digits, 16).map_err(|_| err("a broken \\u{...} escape"))?;
            return Ok(char::from_u32(v).unwrap_or('\u{fffd}'));
        }
        let hi = self.hex(4).ok_or_else(|| err("a broken \\u escape"))?;
        if (0xD800..0xDC00).contains(&hi)
            && self.peek() == Some('\\')
            && self.peek_at(1) == Some('u')
        {
            let save = self.i;
            self.i += 2;
            match self.hex(4) {
                Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
                }
                _ => self.i = save,
            }
        }
        Ok(char::from_u32(hi).unwrap_or('\u{fffd}'))
    }

    fn string(&mut self, quote: char) -> Result<String, ProtocolError> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(err("an unclosed string"));
            };
            self.i += 1;
            if c == quote {
                return Ok(out);
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(e) = self.peek() else {
                return Err(err("an unclosed string"));
            };
            self.i += 1;
            match e {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'v' => out.push('\u{b}'),
                '0' => out.push('\0'),
                'u' => out.push(self.unicode_escape()?),
                'x' => {
                    let v = self.hex(2).ok_or_else(|| err("a broken \\x escape"))?;
                    out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                }
                // A line continuation.
                '\n' => {}
                '\r' => {
                    if self.peek() == Some('\n') {
                        self.i += 1;
                    }
                }
                other => out.push(other),
            }
        }
    }
}

/// A key written without quotes: a JavaScript identifier.
fn bare_key(k: &str) -> bool {
    let mut cs = k.chars();
    cs.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

fn quote(s: &str, out: &mut String) {
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
}

/// Writes a value as the server's messages do: bare keys where they can be, single-quoted
/// strings. [`parse_literal`] reads it back to the same value.
pub fn format_literal(v: &Literal) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn write(v: &Literal, out: &mut String) {
    match v {
        Literal::Null => out.push_str("null"),
        Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Literal::Number(n) => out.push_str(n),
        Literal::Str(s) => quote(s, out),
        Literal::Array(items) => {
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(it, out);
            }
            out.push(']');
        }
        Literal::Object(members) => {
            out.push('{');
            for (i, (k, it)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if bare_key(k) {
                    out.push_str(k);
                } else {
                    quote(k, out);
                }
                out.push(':');
                write(it, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(t: &str) -> Literal {
        parse_object_literal(t).unwrap_or_else(|e| panic!("{t}: {e}"))
    }

    #[test]
    fn the_seeds_form() {
        let v = obj("{status:0,cdrId:123,paramvalue:'a,b'}");
        assert_eq!(v.get("status").and_then(Literal::as_int), Some(0));
        assert_eq!(v.get("cdrId").and_then(Literal::as_text), Some("123"));
        assert_eq!(v.get("paramvalue").and_then(Literal::as_text), Some("a,b"));
    }

    #[test]
    fn nastier_forms() {
        let v = obj(
            r#" { "status" : "1" , 'cdrId' : 282982852097151 , note:"say \"hi\"\n", q:'it\'s', } ;"#,
        );
        assert_eq!(v.get("status").and_then(Literal::as_int), Some(1));
        assert_eq!(
            v.get("cdrId").and_then(Literal::as_text),
            Some("282982852097151")
        );
        assert_eq!(
            v.get("note").and_then(Literal::as_text),
            Some("say \"hi\"\n")
        );
        assert_eq!(v.get("q").and_then(Literal::as_text), Some("it's"));
        let v = obj("{a:'\\u5f20\\x41\\q\\ud83d\\ude00\\ud800', b:[1,'x',null,undefined,true,],c:{d:-1.5e3}, 5:+7, e:ringing} // done");
        assert_eq!(
            v.get("a").and_then(Literal::as_text),
            Some("张Aq😀\u{fffd}")
        );
        assert_eq!(
            v.get("b"),
            Some(&Literal::Array(vec![
                Literal::Number("1".into()),
                Literal::Str("x".into()),
                Literal::Null,
                Literal::Null,
                Literal::Bool(true)
            ]))
        );
        assert_eq!(v.get("5").and_then(Literal::as_int), Some(7));
        assert_eq!(v.get("e").and_then(Literal::as_text), Some("ringing"));
        assert_eq!(
            obj("{status:0,status:3}")
                .get("status")
                .and_then(Literal::as_int),
            Some(3)
        );
        assert_eq!(obj("/* x */{}"), Literal::Object(vec![]));
    }

    #[test]
    fn garbage_is_an_error() {
        for bad in [
            "",
            "{",
            "}",
            "{status:0",
            "{status 0}",
            "{:1}",
            "{a:}",
            "{a:1 b:2}",
            "[1,2",
            "{a:'x}",
            "{a:'\\u12'}",
            "{a:'\\u{}'}",
            "{a:1}}",
            "x",
            "'x'",
            "{a:1}{",
            "{a:1,,}",
            "/* open",
            "{a:\"\\",
            "{a:[}",
            "{,}",
        ] {
            assert!(parse_object_literal(bad).is_err(), "{bad:?}");
        }
        let deep = "{a:".repeat(40) + "1" + &"}".repeat(40);
        assert!(parse_object_literal(&deep).is_err());
        assert!(parse_object_literal(&format!("{{a:'{}'}}", "x".repeat(MAX_LEN))).is_err());
    }

    #[test]
    fn numbers() {
        for n in ["0", "-1", "1.5", ".5", "5.", "1e3", "1E-3", "-0.0e+1"] {
            assert!(is_number(n), "{n}");
        }
        for n in ["", "-", ".", "e3", "1e", "1.2.3", "0x10", "--1", "1e+"] {
            assert!(!is_number(n), "{n}");
        }
    }

    #[test]
    fn written_values_read_back() {
        let v = Literal::Object(vec![
            ("status".into(), Literal::Number("0".into())),
            ("cdr id".into(), Literal::Str("it's \\ \n \u{1}".into())),
            (
                "l".into(),
                Literal::Array(vec![Literal::Null, Literal::Bool(false)]),
            ),
        ]);
        let t = format_literal(&v);
        assert_eq!(parse_literal(&t).unwrap(), v, "{t}");
        assert_eq!(
            format_literal(&obj("{status:0,cdrId:123,paramvalue:'a,b'}")),
            "{status:0,cdrId:123,paramvalue:'a,b'}"
        );
    }
}
