//! One questionnaire in one JSON file, for sharing a checklist as a file and
//! for the built-in templates:
//!
//! ```json
//! {"format": "servicelens.questionnaire", "format_version": 1,
//!  "questionnaire": {…}}
//! ```
//!
//! Format version 0 is the bare questionnaire object of the first build,
//! without the envelope; it is migrated by wrapping it. A parsed
//! questionnaire is validated before it is handed out, so nothing invalid
//! reaches storage from a file.

use serde::Serialize;
use serde_json::Value;

use crate::domain::validation::{validate, Issue};
use crate::domain::Questionnaire;
use crate::i18n::Lang;

pub const FORMAT: &str = "servicelens.questionnaire";
pub const FORMAT_VERSION: u64 = 1;

/// Step `n` upgrades a document of format version `n` to `n + 1`; adding a
/// format version means adding a step here.
const MIGRATIONS: [fn(Value) -> Value; FORMAT_VERSION as usize] = [wrap_bare_questionnaire];

#[derive(Debug, Clone, PartialEq)]
pub enum FileError {
    /// Not JSON at all (a truncated download, a picture, …).
    NotJson { detail: String },
    /// JSON, but neither our envelope nor a bare questionnaire.
    NotQuestionnaireFile,
    /// Our envelope with another format, e.g. a backup bundle.
    WrongFormat { found: String },
    /// The envelope's format version is missing or not a whole number ≥ 1.
    BadFormatVersion,
    /// Written by a newer build of the app.
    NewerVersion { found: u64, supported: u64 },
    /// The right format, but the questionnaire in it is incomplete or has
    /// fields of the wrong shape.
    Malformed { detail: String },
    /// A well-formed questionnaire that fails validation.
    Invalid(Vec<Issue>),
    /// Larger than a backup may carry (a title, a list, nesting, the file):
    /// the bundle's own limit and its message.
    TooLarge(crate::exchange::bundle::limits::Exceeded),
}

/// The largest questionnaire file read: the largest built-in template is a
/// few dozen kilobytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

impl FileError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FileError::NotJson { detail }, Lang::Ru) => {
                format!(
                    "Файл не читается как JSON — возможно, он повреждён или обрезан ({detail})."
                )
            }
            (FileError::NotJson { detail }, Lang::En) => {
                format!(
                    "The file cannot be read as JSON; it may be damaged or cut short ({detail})."
                )
            }
            (FileError::NotQuestionnaireFile, Lang::Ru) => {
                "Это не файл анкеты ServiceLens.".to_owned()
            }
            (FileError::NotQuestionnaireFile, Lang::En) => {
                "This is not a ServiceLens questionnaire file.".to_owned()
            }
            (FileError::WrongFormat { found }, Lang::Ru) => {
                format!("Это файл типа «{found}», а не анкета ServiceLens.")
            }
            (FileError::WrongFormat { found }, Lang::En) => {
                format!("This is a “{found}” file, not a ServiceLens questionnaire.")
            }
            (FileError::BadFormatVersion, Lang::Ru) => {
                "В файле не указана или испорчена версия формата.".to_owned()
            }
            (FileError::BadFormatVersion, Lang::En) => {
                "The file's format version is missing or damaged.".to_owned()
            }
            (FileError::NewerVersion { found, supported }, Lang::Ru) => format!(
                "Анкета сохранена более новой версией ServiceLens (формат {found}, это \
                 приложение читает до {supported}). Обновите приложение и откройте файл снова."
            ),
            (FileError::NewerVersion { found, supported }, Lang::En) => format!(
                "The questionnaire was saved by a newer ServiceLens (format {found}; this app \
                 reads up to {supported}). Update the app and open the file again."
            ),
            (FileError::Malformed { detail }, Lang::Ru) => {
                format!("Анкета в файле повреждена или неполна: {detail}.")
            }
            (FileError::Malformed { detail }, Lang::En) => {
                format!("The questionnaire in the file is damaged or incomplete: {detail}.")
            }
            (FileError::Invalid(issues), Lang::Ru) => {
                Issue::bulleted_list("В анкете из файла есть ошибки", issues, lang)
            }
            (FileError::Invalid(issues), Lang::En) => {
                Issue::bulleted_list("The questionnaire in the file has problems", issues, lang)
            }
            (FileError::TooLarge(e), _) => e.message(lang),
        }
    }
}

/// Reads a questionnaire file of any known format version.
pub fn parse(text: &str) -> Result<Questionnaire, FileError> {
    // Notepad and some mail clients prepend a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The bundle's limits first, in a pass that builds nothing: the tree
    // below is then bounded in size, depth and length.
    match crate::exchange::bundle::check_limits(text, MAX_FILE_BYTES) {
        Ok(()) => {}
        Err(crate::exchange::bundle::BundleError::NotJson { detail }) => {
            return Err(FileError::NotJson { detail })
        }
        Err(crate::exchange::bundle::BundleError::TooLarge {
            what,
            found,
            max,
            at,
        }) => {
            return Err(FileError::TooLarge(
                crate::exchange::bundle::limits::Exceeded {
                    what,
                    found,
                    max,
                    at,
                },
            ))
        }
        Err(e) => {
            return Err(FileError::Malformed {
                detail: e.message(crate::i18n::Lang::En),
            })
        }
    }
    read(text)
}

/// [`parse`] for a questionnaire file fetched from the app's own origin
/// (a short link's file): the same limits, checked on the typed
/// questionnaire after a size cap rather than by the streaming scanner,
/// which would otherwise ride into the shell's first download.
pub fn parse_same_origin(text: &str) -> Result<Questionnaire, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge(
            crate::exchange::bundle::limits::Exceeded {
                what: crate::exchange::bundle::Limit::FileSize,
                found: text.len() as u64,
                max: MAX_FILE_BYTES as u64,
                at: String::new(),
            },
        ));
    }
    let q = read(text)?;
    crate::exchange::bundle::limits::check_questionnaire(&q).map_err(FileError::TooLarge)?;
    Ok(q)
}

/// [`parse`] without the limits' pass, for the built-in templates only:
/// they come with the build (and `bundle::limits` tests that they fit), and
/// the pass's scanner would otherwise ride into the shell's first download.
pub(crate) fn parse_built_in(text: &str) -> Result<Questionnaire, FileError> {
    read(text.strip_prefix('\u{feff}').unwrap_or(text))
}

fn read(text: &str) -> Result<Questionnaire, FileError> {
    let document: Value = serde_json::from_str(text).map_err(|e| FileError::NotJson {
        detail: e.to_string(),
    })?;
    let version = format_version(&document)?;
    let document = MIGRATIONS[version as usize..]
        .iter()
        .fold(document, |doc, step| step(doc));
    let Value::Object(mut envelope) = document else {
        return Err(FileError::NotQuestionnaireFile);
    };
    let body = envelope
        .remove("questionnaire")
        .ok_or_else(|| FileError::Malformed {
            detail: "no \"questionnaire\" field".to_owned(),
        })?;
    let questionnaire: Questionnaire =
        serde_json::from_value(body).map_err(|e| FileError::Malformed {
            detail: e.to_string(),
        })?;
    let issues = validate(&questionnaire);
    if issues.is_empty() {
        Ok(questionnaire)
    } else {
        Err(FileError::Invalid(issues))
    }
}

/// The document's format version, 0 for a bare questionnaire.
fn format_version(document: &Value) -> Result<u64, FileError> {
    let Value::Object(fields) = document else {
        return Err(FileError::NotQuestionnaireFile);
    };
    let Some(format) = fields.get("format") else {
        // The first build wrote the questionnaire object itself.
        return if fields.contains_key("sections") && fields.contains_key("id") {
            Ok(0)
        } else {
            Err(FileError::NotQuestionnaireFile)
        };
    };
    match format {
        Value::String(name) if name == FORMAT => {}
        Value::String(name) => {
            return Err(FileError::WrongFormat {
                found: name.clone(),
            })
        }
        _ => return Err(FileError::NotQuestionnaireFile),
    }
    match fields.get("format_version").and_then(Value::as_u64) {
        Some(v) if v > FORMAT_VERSION => Err(FileError::NewerVersion {
            found: v,
            supported: FORMAT_VERSION,
        }),
        Some(v) if v >= 1 => Ok(v),
        _ => Err(FileError::BadFormatVersion),
    }
}

fn wrap_bare_questionnaire(questionnaire: Value) -> Value {
    serde_json::json!({
        "format": FORMAT,
        "format_version": 1,
        "questionnaire": questionnaire,
    })
}

#[derive(Serialize)]
struct Envelope<'a> {
    format: &'static str,
    format_version: u64,
    questionnaire: &'a Questionnaire,
}

/// The questionnaire as a file in the current format, pretty-printed so a
/// person can read and diff it.
pub fn to_string(questionnaire: &Questionnaire) -> String {
    let envelope = Envelope {
        format: FORMAT,
        format_version: FORMAT_VERSION,
        questionnaire,
    };
    // Plain structs with string keys: serde_json cannot fail on them.
    serde_json::to_string_pretty(&envelope).expect("a questionnaire serialises to JSON")
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_short_links_file_is_held_to_the_same_limits() {
        let mut q = crate::templates::find("tpl-retail-quick", 1).unwrap();
        assert_eq!(parse_same_origin(&to_string(&q)), Ok(q.clone()));
        q.title.en = "x".repeat(20_000);
        let text = to_string(&q);
        for got in [parse(&text), parse_same_origin(&text)] {
            match got {
                Err(FileError::TooLarge(e)) => {
                    assert_eq!(e.what, crate::exchange::bundle::Limit::TextLength);
                    assert!(
                        e.message(Lang::En).contains("title"),
                        "{}",
                        e.message(Lang::En)
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }

    use super::*;
    use crate::domain::validation::IssueKind;
    use crate::domain::{QuestionnaireKind, VersionStatus};
    use serde_json::json;

    fn bare() -> Value {
        json!({
            "id": "q-1",
            "version": 2,
            "kind": "survey",
            "status": "published",
            "title": {"ru": "Опрос", "en": "Survey"},
            "sections": [{
                "id": "s",
                "title": {"ru": "Раздел", "en": "Section"},
                "questions": [
                    {"id": "a", "type": "yes_no", "text": {"ru": "Да?", "en": "Yes?"}},
                    {"id": "b", "type": "long_text", "text": {"ru": "Почему?", "en": "Why?"},
                     "visible_if": {"question": "a", "op": "eq", "value": {"t": "no"}}}
                ]
            }]
        })
    }

    fn wrapped(version: Value) -> Value {
        json!({"format": FORMAT, "format_version": version, "questionnaire": bare()})
    }

    #[test]
    fn current_format_round_trips() {
        let q = parse(&wrapped(json!(1)).to_string()).unwrap();
        assert_eq!(q.id, "q-1");
        assert_eq!(q.version, 2);
        assert_eq!(q.kind, QuestionnaireKind::Survey);
        assert_eq!(q.status, VersionStatus::Published);
        assert!(q.sections[0].questions[1].visible_if.is_some());
        let text = to_string(&q);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["format"], FORMAT);
        assert_eq!(v["format_version"], 1);
        assert_eq!(parse(&text).unwrap(), q);
        assert!(text.contains("\n  \"questionnaire\""), "pretty-printed");
    }

    #[test]
    fn bare_questionnaire_of_format_zero_is_migrated() {
        let old = parse(&bare().to_string()).unwrap();
        let new = parse(&wrapped(json!(1)).to_string()).unwrap();
        assert_eq!(old, new);
        // The first build's template file itself.
        let quick = parse(include_str!("../templates/retail_quick_audit.json")).unwrap();
        assert_eq!(quick.id, "tpl-retail-quick");
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let text = format!("\u{feff}{}", wrapped(json!(1)));
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn newer_format_is_refused_with_a_clear_message() {
        let e = parse(&wrapped(json!(2)).to_string()).unwrap_err();
        assert_eq!(
            e,
            FileError::NewerVersion {
                found: 2,
                supported: 1
            }
        );
        assert!(e.message(Lang::En).contains("Update the app"));
        assert!(e.message(Lang::Ru).contains("Обновите приложение"));
    }

    #[test]
    fn not_json_wrong_format_and_strangers_are_refused() {
        assert!(matches!(
            parse("{\"format\": "),
            Err(FileError::NotJson { .. })
        ));
        assert!(matches!(parse(""), Err(FileError::NotJson { .. })));
        assert_eq!(parse("[1, 2]"), Err(FileError::NotQuestionnaireFile));
        assert_eq!(parse("\"hello\""), Err(FileError::NotQuestionnaireFile));
        assert_eq!(
            parse("{\"name\": \"x\"}"),
            Err(FileError::NotQuestionnaireFile)
        );
        assert_eq!(
            parse(&json!({"format": "servicelens.backup", "format_version": 1}).to_string()),
            Err(FileError::WrongFormat {
                found: "servicelens.backup".into()
            })
        );
        assert_eq!(
            parse(&json!({"format": 7}).to_string()),
            Err(FileError::NotQuestionnaireFile)
        );
        for bad in [json!(0), json!(-1), json!(1.5), json!("1"), Value::Null] {
            assert_eq!(
                parse(&wrapped(bad.clone()).to_string()),
                Err(FileError::BadFormatVersion),
                "{bad}"
            );
        }
        let no_version = json!({"format": FORMAT, "questionnaire": bare()});
        assert_eq!(
            parse(&no_version.to_string()),
            Err(FileError::BadFormatVersion)
        );
    }

    #[test]
    fn malformed_questionnaires_are_refused() {
        let missing = json!({"format": FORMAT, "format_version": 1});
        assert!(matches!(
            parse(&missing.to_string()),
            Err(FileError::Malformed { .. })
        ));
        let mut broken = wrapped(json!(1));
        broken["questionnaire"]["kind"] = json!("poll");
        let e = parse(&broken.to_string()).unwrap_err();
        assert!(matches!(e, FileError::Malformed { .. }));
        assert!(
            e.message(Lang::En).contains("poll"),
            "{}",
            e.message(Lang::En)
        );
        let mut typo = wrapped(json!(1));
        typo["questionnaire"]["sections"][0]["questions"][1]["visible_if"]["op"] = json!("equals");
        assert!(matches!(
            parse(&typo.to_string()),
            Err(FileError::Malformed { .. })
        ));
    }

    #[test]
    fn invalid_questionnaires_list_their_issues() {
        let mut doc = wrapped(json!(1));
        doc["questionnaire"]["sections"][0]["questions"][1]["visible_if"] =
            json!({"question": "a", "op": "gt", "value": {"t": "no"}});
        doc["questionnaire"]["sections"][0]["questions"][0]["weight"] = json!(0);
        let e = parse(&doc.to_string()).unwrap_err();
        let FileError::Invalid(issues) = &e else {
            panic!("{e:?}");
        };
        assert_eq!(issues.len(), 2);
        assert!(matches!(issues[0].kind, IssueKind::InvalidWeight { .. }));
        assert!(matches!(
            issues[1].kind,
            IssueKind::ConditionOperatorNotApplicable { .. }
        ));
        let en = e.message(Lang::En);
        assert!(
            en.starts_with("The questionnaire in the file has problems (2):\n• Question “a”"),
            "{en}"
        );
        assert_eq!(e.message(Lang::Ru).lines().count(), 3);
    }

    #[test]
    fn every_error_has_a_message_in_each_language() {
        let all = [
            FileError::NotJson {
                detail: "eof".into(),
            },
            FileError::NotQuestionnaireFile,
            FileError::WrongFormat { found: "x".into() },
            FileError::BadFormatVersion,
            FileError::NewerVersion {
                found: 9,
                supported: 1,
            },
            FileError::Malformed { detail: "d".into() },
            FileError::Invalid(vec![]),
        ];
        for e in all {
            let (ru, en) = (e.message(Lang::Ru), e.message(Lang::En));
            assert!(!ru.is_empty() && !en.is_empty() && ru != en);
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use crate::domain::arbitrary::valid_questionnaire;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn a_valid_questionnaire_round_trips_unchanged(q in valid_questionnaire()) {
            prop_assert_eq!(validate(&q), vec![]);
            let text = to_string(&q);
            let back = parse(&text).map_err(|e| TestCaseError::fail(e.message(Lang::En)))?;
            prop_assert_eq!(&back, &q);
            prop_assert_eq!(to_string(&back), text);
        }
    }
}
