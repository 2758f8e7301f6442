//! Channel variables out of `ctigetvar` / `ctigetvars` answers.

use super::envelope::Row;
use super::error::ProtocolError;
use super::validate::VarName;

/// The value read by `ctigetvar`: the `result` field of the first row.
///
/// # Errors
///
/// [`ProtocolError::MissingField`] when there is no row or no `result`.
///
/// # Format
///
/// Seed 16.5: `{"errcode":0,"message":"SUCCESS","data":[{"result":"5003"}]}`
pub fn getvar_result(rows: &[Row]) -> Result<String, ProtocolError> {
    rows.first()
        .and_then(|row| row.get("result"))
        .map(str::to_owned)
        .ok_or(ProtocolError::MissingField { field: "result" })
}

/// The variables read by `ctigetvars`, as `(name, value)` pairs.
///
/// The seed prints the request (section 29) but no answer, so the shape is
/// our assumption; three are accepted, tried in this order:
/// 1. rows with a `name` (or `variable`) field and a `value` field, one per variable;
/// 2. rows with only a `result` field, one per requested name, in request order;
/// 3. otherwise every field of every row is a `VAR=value` pair (one row
///    holding `{"MVB_DNID":"..","MVB_ANI":".."}`).
///
/// # Format
///
/// Seed 29 request: `ctigetvars.php?...&channel=Zap/8-1&variable0=MVB_DNID&variable1=MVB_ANI&...`
pub fn vars_from_rows(requested: &[VarName], rows: &[Row]) -> Vec<(String, String)> {
    let named: Vec<(String, String)> = rows
        .iter()
        .filter_map(|row| {
            let name = row.get_any(&["name", "variable"])?;
            let value = row.get("value")?;
            Some((name.to_owned(), value.to_owned()))
        })
        .collect();
    if !named.is_empty() {
        return named;
    }
    let only_results = !rows.is_empty()
        && rows
            .iter()
            .all(|row| row.len() == 1 && row.get("result").is_some());
    if only_results {
        return requested
            .iter()
            .zip(rows)
            .map(|(name, row)| {
                (
                    name.as_str().to_owned(),
                    row.get("result").unwrap_or_default().to_owned(),
                )
            })
            .collect();
    }
    rows.iter()
        .flat_map(|row| row.iter().map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<VarName> {
        list.iter().map(|n| VarName::parse(n).unwrap()).collect()
    }

    #[test]
    fn seed_16_5_result() {
        let rows = vec![[("result", "5003")].into_iter().collect::<Row>()];
        assert_eq!(getvar_result(&rows).unwrap(), "5003");
        assert_eq!(
            getvar_result(&[]),
            Err(ProtocolError::MissingField { field: "result" })
        );
    }

    #[test]
    fn three_shapes() {
        let want = vec![
            ("MVB_DNID".to_owned(), "82754888".to_owned()),
            ("MVB_ANI".to_owned(), "8003".to_owned()),
        ];
        let req = names(&["MVB_DNID", "MVB_ANI"]);
        let one_row: Row = [("MVB_DNID", "82754888"), ("MVB_ANI", "8003")]
            .into_iter()
            .collect();
        assert_eq!(vars_from_rows(&req, &[one_row]), want);
        let pairs: Vec<Row> = vec![
            [("name", "MVB_DNID"), ("value", "82754888")]
                .into_iter()
                .collect(),
            [("variable", "MVB_ANI"), ("value", "8003")]
                .into_iter()
                .collect(),
        ];
        assert_eq!(vars_from_rows(&req, &pairs), want);
        let results: Vec<Row> = vec![
            [("result", "82754888")].into_iter().collect(),
            [("result", "8003")].into_iter().collect(),
        ];
        assert_eq!(vars_from_rows(&req, &results), want);
        assert!(vars_from_rows(&req, &[]).is_empty());
    }
}
