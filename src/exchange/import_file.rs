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

/// Reads `text` as a bundle or, when its envelope names the questionnaire
/// format, as a questionnaire file; `now` dates the manifest of the latter.
pub fn read(text: &str, now: Timestamp) -> Result<Bundle, ImportFileError> {
    match parse_bundle(text) {
        Ok(bundle) => Ok(bundle),
        Err(BundleError::WrongFormat { found }) if found == questionnaire_file::FORMAT => {
            let q = questionnaire_file::parse(text).map_err(ImportFileError::Questionnaire)?;
            let contents = Contents {
                questionnaires: vec![q],
                ..Contents::default()
            };
            Ok(Bundle {
                manifest: Manifest {
                    created_at: now,
                    device_id: String::new(),
                    app_version: String::new(),
                    counts: contents.counts(),
                    checksum: String::new(),
                },
                contents,
                migrated_from: None,
            })
        }
        Err(e) => Err(ImportFileError::Bundle(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
