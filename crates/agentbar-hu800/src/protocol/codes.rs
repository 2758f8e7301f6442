//! The answer codes of seed 1.2 ("返回代码表—code 值"), in Chinese as the seed writes them and
//! in English, and the error a non-zero code makes.
//!
//! # Format
//!
//! ```text
//! {"code":0,"message":"OK"}        success
//! {"code":-2,"message":"..."}      验证错误: sa_user / sa_password refused
//! ```

use super::request::Method;

/// One row of the code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeText {
    pub code: i64,
    pub zh: &'static str,
    pub en: &'static str,
}

/// Seed 1.2, row by row. `0` is success and not listed there (each method's table says
/// "0 为成功 其他失败").
pub const CODES: [CodeText; 10] = [
    CodeText {
        code: -1,
        zh: "网络错误",
        en: "network error on the server",
    },
    CodeText {
        code: -2,
        zh: "验证错误",
        en: "the user or password was refused",
    },
    CodeText {
        code: -3,
        zh: "方法内部错误",
        en: "the method failed inside the server",
    },
    CodeText {
        code: -5,
        zh: "没有权限",
        en: "no permission",
    },
    CodeText {
        code: -6,
        zh: "SQL 语句执行错误",
        en: "the server's database query failed",
    },
    CodeText {
        code: -10,
        zh: "数据已经存在",
        en: "the data exists already",
    },
    CodeText {
        code: -11,
        zh: "数据不存在",
        en: "the data does not exist",
    },
    CodeText {
        code: -12,
        zh: "超过最大值错误",
        en: "over the maximum",
    },
    CodeText {
        code: -13,
        zh: "文件保存失败",
        en: "the file could not be saved",
    },
    CodeText {
        code: -14,
        zh: "验证组错误",
        en: "the group check failed",
    },
];

/// The row of `code`, if the seed lists it.
pub fn lookup(code: i64) -> Option<&'static CodeText> {
    CODES.iter().find(|c| c.code == code)
}

/// What `code` means, in English and in Chinese; an unknown code says so and keeps its value.
pub fn describe(code: i64) -> (String, String) {
    match lookup(code) {
        Some(c) => (c.en.to_string(), c.zh.to_string()),
        None => (
            format!("unknown answer code {code} (not in the code table of seed 1.2)"),
            format!("未知返回值 {code}"),
        ),
    }
}

/// The longest part of the server's own message kept in an error.
const MESSAGE_MAX: usize = 200;

/// A non-zero `code`: the method, the raw code and the server's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    pub method: Method,
    pub code: i64,
    /// The answer's `message`, cut to 200 characters.
    pub message: Option<String>,
}

impl ServerError {
    pub fn new(method: Method, code: i64, message: Option<&str>) -> Self {
        let message = message
            .map(|m| m.trim())
            .filter(|m| !m.is_empty())
            .map(|m| {
                m.chars()
                    .filter(|c| !c.is_control())
                    .take(MESSAGE_MAX)
                    .collect()
            });
        ServerError {
            method,
            code,
            message,
        }
    }

    /// `-2`: the credentials were refused.
    pub fn is_auth(&self) -> bool {
        self.code == -2
    }

    /// Whether seed 1.2 lists the code.
    pub fn is_documented(&self) -> bool {
        lookup(self.code).is_some()
    }

    pub fn en(&self) -> String {
        describe(self.code).0
    }

    pub fn zh(&self) -> String {
        describe(self.code).1
    }
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: code {}: {} ({})",
            self.method.name(),
            self.code,
            self.en(),
            self.zh()
        )?;
        if let Some(m) = &self.message {
            write!(f, "; the server says: {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServerError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_the_seeds() {
        let codes: Vec<i64> = CODES.iter().map(|c| c.code).collect();
        assert_eq!(codes, vec![-1, -2, -3, -5, -6, -10, -11, -12, -13, -14]);
        assert_eq!(lookup(-6).unwrap().zh, "SQL 语句执行错误");
        assert!(lookup(0).is_none() && lookup(-4).is_none());
    }

    #[test]
    fn unknown_codes_keep_the_code() {
        let e = ServerError::new(Method::HangupExten, -99, Some("  boom\n "));
        assert!(!e.is_documented());
        let s = e.to_string();
        assert!(
            s.contains("-99") && s.contains("seed 1.2") && s.contains("boom"),
            "{s}"
        );
        let long = "x".repeat(500);
        let e = ServerError::new(Method::HangupExten, -3, Some(&long));
        assert_eq!(e.message.unwrap().len(), 200);
    }
}
