//! What more than one adapter needs on the wire: the same decoding of the servers' text, the
//! same protocol error, the same validated values. Each adapter keeps its own rules (which
//! characters a seed admits); only the mechanics live here.

mod decode;
mod error;
#[cfg(feature = "http")]
mod http;
mod text;

pub use decode::{decode_body, percent_decode};
pub use error::ProtocolError;
#[cfg(feature = "http")]
pub use http::{read_bounded, Answer, HttpError};
