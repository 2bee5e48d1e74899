//! What the import screen accepts: a backup bundle from any device, or a
//! single questionnaire file. Both become a [`Bundle`], so one merge
//! decides what is added, skipped or kept as a conflict, and one report
//! tells the user.

use super::bundle::{parse_bundle, Bundle, BundleError, Contents, Manifest};
use super::questionnaire_file::{self, FileError};
use crate::domain::Timestamp;
use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq)]
pub enum ImportFileError {
    Bundle(BundleError),
    Questionnaire(FileError),
}

impl ImportFileError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ImportFileError::Bundle(e) => e.message(lang),
            ImportFileError::Questionnaire(e) => e.message(lang),
        }
    }
}

/// A file the person picked that is not read at all: larger than what its
/// reader accepts (checked from the file's size, before its text is read
/// into memory), or one the browser could not read as text.
#[derive(Debug, Clone, PartialEq)]
pub enum PickedFileError {
    TooLarge { bytes: u64, max: u64 },
    Unreadable { detail: String },
}

impl PickedFileError {
    /// Checks a picked file's size against `max` before it is read.
    pub fn check_size(bytes: u64, max: usize) -> Result<(), PickedFileError> {
        if bytes > max as u64 {
            Err(PickedFileError::TooLarge {
                bytes,
                max: max as u64,
            })
        } else {
            Ok(())
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            PickedFileError::TooLarge { bytes, max } => match lang {
                Lang::Ru => format!(
                    "Файл слишком большой ({}, не более {}). Ничего не изменено.",
                    crate::i18n::file_size(lang, *bytes),
                    crate::i18n::file_size(lang, *max)
                ),
                Lang::En => format!(
                    "The file is too large ({}, at most {}). Nothing was changed.",
                    crate::i18n::file_size(lang, *bytes),
                    crate::i18n::file_size(lang, *max)
                ),
            },
            PickedFileError::Unreadable { detail } => match lang {
                Lang::Ru => format!("Файл не удалось прочитать как текст ({detail})."),
                Lang::En => format!("The file could not be read as text ({detail})."),
            },
        }
    }
}

/// Reads `text` as a bundle or, when its envelope names the questionnaire
/// format, as a questionnaire file; `now` dates the manifest of the latter.
pub fn read(text: &str, now: Timestamp) -> Result<Bundle, ImportFileError> {
    match parse_bundle(text) {
        Ok(bundle) => Ok(bundle),
        Err(BundleError::WrongFormat { found }) if found == questionnaire_file::FORMAT => {
            let q = questionnaire_file::parse(text).map_err(ImportFileError::Questionnaire)?;
            Ok(questionnaire_bundle(q, now))
        }
        Err(e) => Err(ImportFileError::Bundle(e)),
    }
}

/// One questionnaire as a bundle of its own, so a questionnaire file goes
/// through the same merge (and the same trust rules) as a backup; `now`
/// dates the manifest. The file names no device.
pub fn questionnaire_bundle(q: crate::domain::Questionnaire, now: Timestamp) -> Bundle {
    let contents = Contents {
        questionnaires: vec![q],
        ..Contents::default()
    };
    Bundle {
        manifest: Manifest {
            created_at: now,
            device_id: String::new(),
            app_version: String::new(),
            counts: contents.counts(),
            checksum: String::new(),
        },
        contents,
        migrated_from: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_its_readers_limit_is_refused_by_its_size() {
        assert_eq!(PickedFileError::check_size(10, 10), Ok(()));
        let e = PickedFileError::check_size(11, 10).unwrap_err();
        assert_eq!(e, PickedFileError::TooLarge { bytes: 11, max: 10 });
        assert!(e.message(Lang::En).starts_with("The file is too large"));
        assert!(e.message(Lang::Ru).starts_with("Файл слишком большой"));
    }

    #[test]
    fn a_questionnaire_file_reads_as_a_bundle_of_one() {
        let q = crate::templates::find("tpl-retail-quick", 1).unwrap();
        let text = questionnaire_file::to_string(&q);
        let b = read(&text, Timestamp::new(0, 0)).unwrap();
        assert_eq!(b.contents.questionnaires, vec![q]);
        assert!(b.contents.responses.is_empty());
        assert_eq!(b.manifest.counts.questionnaires, 1);
    }

    #[test]
    fn bundles_read_as_bundles_and_damage_is_reported_by_its_format() {
        let sample = crate::exchange::test_data::sample();
        let text =
            crate::exchange::bundle::write_bundle(&sample, Timestamp::new(0, 0), "d", "0.1.0")
                .unwrap();
        assert_eq!(read(&text, Timestamp::new(0, 0)).unwrap().contents, sample);
        let broken_q = r#"{"format":"servicelens.questionnaire","format_version":1}"#;
        assert!(matches!(
            read(broken_q, Timestamp::new(0, 0)),
            Err(ImportFileError::Questionnaire(_))
        ));
        assert!(matches!(
            read("{\"format\":\"servicelens.bundle\"", Timestamp::new(0, 0)),
            Err(ImportFileError::Bundle(BundleError::NotJson { .. }))
        ));
        for lang in Lang::ALL {
            assert!(!read("nope", Timestamp::new(0, 0))
                .unwrap_err()
                .message(lang)
                .is_empty());
        }
    }
}
