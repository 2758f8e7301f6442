//! Channel variables: stored ones, plus the few Asterisk computes on the fly.

use crate::error::SimResult;

use super::World;

impl World {
    /// Reads a variable; unknown variables read as empty, as in Asterisk.
    ///
    /// Computed when not stored: `UNIQUEID`, `CHANNEL`, `BRIDGEPEER` (the linked peer),
    /// `CALLERID(num)` / `CALLERIDNUM`, `CALLERID(name)` / `CALLERIDNAME`.
    pub fn get_var(&self, channel: &str, var: &str) -> SimResult<String> {
        let c = self.chan(channel)?;
        if let Some(v) = c.vars.get(var) {
            return Ok(v.clone());
        }
        Ok(match var {
            "UNIQUEID" => c.uniqueid.clone(),
            "CHANNEL" => c.name.clone(),
            "BRIDGEPEER" => {
                if c.linked {
                    c.peer.clone().unwrap_or_default()
                } else {
                    String::new()
                }
            }
            "CALLERID(num)" | "CALLERIDNUM" => c.callerid.clone(),
            "CALLERID(name)" | "CALLERIDNAME" => c.calleridname.clone(),
            _ => String::new(),
        })
    }

    /// Stores a variable.
    pub fn set_var(&mut self, channel: &str, var: &str, value: &str) -> SimResult<()> {
        self.chan_mut(channel)?
            .vars
            .insert(var.to_owned(), value.to_owned());
        Ok(())
    }
}
