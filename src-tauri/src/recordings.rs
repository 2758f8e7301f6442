//! Call recordings in the desktop: fetched through the engine (the vendor's own URL and
//! credentials), saved under the user's download folder, and opened with the system's player.
//! A browser gets the same bytes from the local API instead.

use crate::backend::Backend;
use agentbar_core::error::ErrorInfo;
use agentbar_core::ErrorKind;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, Runtime, State};

/// The folder under the download directory that recordings go to.
pub const FOLDER: &str = "Agent Bar";
/// The longest file name written.
const NAME_MAX: usize = 120;

/// A safe local file name for the server's recording `name`: its last path segment, with
/// only letters, digits, `.`, `_` and `-` kept, never hidden or empty, and the media type's
/// extension unless it already ends in an audio one (a name like `1718.42`, a channel id,
/// gets `.mp3` appended so the system knows what opens it).
pub fn file_name(name: &str, content_type: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut base: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    base = base.trim_start_matches('.').to_string();
    if base.is_empty() {
        base = "recording".into();
    }
    base.truncate(NAME_MAX);
    let audio_ext = Path::new(&base)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO.contains(&e.to_ascii_lowercase().as_str()));
    if !audio_ext {
        base.push('.');
        base.push_str(extension(content_type));
    }
    base
}

/// Extensions kept as they are.
const AUDIO: [&str; 4] = ["mp3", "wav", "ogg", "gsm"];

/// The usual extension of a recording's media type.
fn extension(content_type: &str) -> &'static str {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "audio/mpeg" | "audio/mp3" => "mp3",
        "audio/wav" | "audio/x-wav" | "audio/wave" => "wav",
        "audio/ogg" => "ogg",
        "audio/gsm" | "audio/x-gsm" => "gsm",
        _ => "bin",
    }
}

/// Fetches the recording `name`, saves it in `<downloads>/Agent Bar/` and opens it; answers
/// the saved file's path.
///
/// # Errors
///
/// The engine's error when the server has no such recording or the vendor offers none;
/// `server` when the file cannot be written.
#[tauri::command]
pub async fn save_recording<R: Runtime>(
    app: AppHandle<R>,
    backend: State<'_, Backend>,
    name: String,
) -> Result<String, ErrorInfo> {
    let engine = backend.engine()?.clone();
    let rec = engine.recording(&name).await.map_err(|e| e.info())?;
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().app_data_dir())
        .map_err(|e| io_error(&e.to_string()))?
        .join(FOLDER);
    let path = write(&dir, &file_name(&name, &rec.content_type), &rec.bytes)?;
    if let Err(e) = tauri_plugin_opener::open_path(&path, None::<&str>) {
        // Saved all the same; the agent can open it from the folder.
        tracing::info!("cannot open {}: {e}", path.display());
    }
    Ok(path.display().to_string())
}

fn write(dir: &Path, file: &str, bytes: &[u8]) -> Result<PathBuf, ErrorInfo> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(&e.to_string()))?;
    let path = dir.join(file);
    std::fs::write(&path, bytes).map_err(|e| io_error(&e.to_string()))?;
    Ok(path)
}

fn io_error(reason: &str) -> ErrorInfo {
    ErrorInfo {
        code: ErrorKind::Server,
        message: format!("cannot save the recording: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe_and_get_an_extension() {
        assert_eq!(
            file_name("20260101-8005-1718.42.mp3", "audio/mpeg"),
            "20260101-8005-1718.42.mp3"
        );
        assert_eq!(file_name("1718.42", "audio/mpeg"), "1718.42.mp3");
        assert_eq!(file_name("a.WAV", "audio/mpeg"), "a.WAV");
        assert_eq!(file_name("monitor/2026/rec-1", "audio/x-wav"), "rec-1.wav");
        assert_eq!(file_name("..\\..\\evil", "audio/wav; codecs=1"), "evil.wav");
        assert_eq!(file_name("../../etc/passwd", "text/plain"), "passwd.bin");
        assert_eq!(file_name("录音 一", "audio/mpeg"), "____.mp3");
        assert_eq!(file_name("", "audio/mpeg"), "recording.mp3");
        assert_eq!(file_name("...", "AUDIO/MPEG"), "recording.mp3");
        assert!(file_name(&"a".repeat(500), "audio/mpeg").len() <= NAME_MAX + 4);
    }

    #[test]
    fn files_are_written_into_the_folder() {
        let dir = std::env::temp_dir().join(format!("agentbar-rec-{}", std::process::id()));
        let path = write(&dir, "a.mp3", b"ID3").unwrap();
        assert_eq!(path, dir.join("a.mp3"));
        assert_eq!(std::fs::read(&path).unwrap(), b"ID3");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
