//! Why a link did not open, with its text in both UI languages.

use crate::domain::validation::Issue;
use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq)]
pub enum LinkError {
    /// No `#/q/<version>.` in it: some other link or text.
    NotALink,
    /// A version number this app never wrote (0).
    UnknownVersion { found: u32 },
    /// Made by a newer build of the app.
    NewerVersion { found: u32, supported: u32 },
    /// Part of the link is missing: cut off by a messenger, a line break or
    /// an incomplete copy.
    Truncated,
    /// Characters changed or added: the checksum, the length or the
    /// alphabet does not match.
    Altered,
    /// Intact as sent, but the compressed data is broken: the link was made
    /// by faulty software, not damaged on the way.
    NotDecompressible,
    /// Inflates to more than [`super::MAX_INFLATED_BYTES`].
    TooLarge { limit: usize },
    /// Intact and inflatable, but not a questionnaire of the expected shape.
    Malformed { detail: String },
    /// A well-formed questionnaire that fails validation.
    Invalid(Vec<Issue>),
    /// Larger than a device may keep (a text, a list, nesting): the
    /// bundle's limits, which a link is held to as a file is.
    OverLimit { at: String },
}

impl LinkError {
    /// What went wrong, with every problem of an invalid questionnaire
    /// listed (for the manager and the shopper, who can report them).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LinkError::Invalid(issues) => Issue::bulleted_list(invalid_header(lang), issues, lang),
            other => other.summary(lang),
        }
    }

    /// [`Self::message`] without the list of an invalid questionnaire's
    /// problems: for a customer's phone (`crate::web::respondent`), where nobody
    /// can act on them, and whose download then carries none of their texts.
    pub fn summary(&self, lang: Lang) -> String {
        match (self, lang) {
            (LinkError::NotALink, Lang::Ru) => "Это не ссылка на анкету ServiceLens.".to_owned(),
            (LinkError::NotALink, Lang::En) => {
                "This is not a ServiceLens questionnaire link.".to_owned()
            }
            (LinkError::UnknownVersion { found }, Lang::Ru) => {
                format!("Ссылка в неизвестном формате (версия {found}). Попросите новую ссылку.")
            }
            (LinkError::UnknownVersion { found }, Lang::En) => {
                format!("The link is in an unknown format (version {found}). Ask for a new link.")
            }
            (LinkError::NewerVersion { found, supported }, Lang::Ru) => format!(
                "Ссылка создана более новой версией ServiceLens (формат {found}, это \
                 приложение читает до {supported}). Обновите приложение и откройте ссылку снова."
            ),
            (LinkError::NewerVersion { found, supported }, Lang::En) => format!(
                "The link was made by a newer ServiceLens (format {found}; this app reads up \
                 to {supported}). Update the app and open the link again."
            ),
            (LinkError::Truncated, Lang::Ru) => {
                "Ссылка обрезана: её конец потерялся при копировании или пересылке. Попросите \
                 прислать ссылку ещё раз или передать анкету файлом."
                    .to_owned()
            }
            (LinkError::Truncated, Lang::En) => {
                "The link is cut short: its end was lost when it was copied or sent. Ask for \
                 the link again, or for the questionnaire as a file."
                    .to_owned()
            }
            (LinkError::Altered, Lang::Ru) => {
                "Ссылка повреждена: в ней изменены или добавлены символы, контрольная сумма \
                 не сходится. Попросите прислать ссылку ещё раз."
                    .to_owned()
            }
            (LinkError::Altered, Lang::En) => {
                "The link is damaged: characters in it were changed or added, and its \
                 checksum does not match. Ask for the link again."
                    .to_owned()
            }
            (LinkError::NotDecompressible, Lang::Ru) => {
                "Ссылка дошла целой, но её содержимое не распаковывается: вероятно, её создала \
                 неисправная программа. Попросите передать анкету файлом."
                    .to_owned()
            }
            (LinkError::NotDecompressible, Lang::En) => {
                "The link arrived intact but its contents cannot be unpacked; it was probably \
                 made by faulty software. Ask for the questionnaire as a file."
                    .to_owned()
            }
            (LinkError::TooLarge { limit }, Lang::Ru) => format!(
                "Анкета в ссылке больше допустимого ({} КиБ после распаковки) и не открыта.",
                limit / 1024
            ),
            (LinkError::TooLarge { limit }, Lang::En) => format!(
                "The questionnaire in the link is larger than allowed ({} KiB unpacked) and \
                 was not opened.",
                limit / 1024
            ),
            (LinkError::Malformed { detail }, Lang::Ru) => {
                format!("Анкета в ссылке повреждена или неполна: {detail}.")
            }
            (LinkError::Malformed { detail }, Lang::En) => {
                format!("The questionnaire in the link is damaged or incomplete: {detail}.")
            }
            (LinkError::Invalid(issues), Lang::Ru) => format!(
                "{} ({}). Попросите новую ссылку.",
                invalid_header(lang),
                issues.len()
            ),
            (LinkError::Invalid(issues), Lang::En) => format!(
                "{} ({}). Ask for a new link.",
                invalid_header(lang),
                issues.len()
            ),
            (LinkError::OverLimit { at }, Lang::Ru) => format!(
                "Анкета в ссылке слишком велика ({at}) и не открыта. Попросите новую ссылку."
            ),
            (LinkError::OverLimit { at }, Lang::En) => format!(
                "The questionnaire in the link is too large ({at}) and was not opened. Ask for \
                 a new link."
            ),
        }
    }
}

fn invalid_header(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "В анкете из ссылки есть ошибки",
        Lang::En => "The questionnaire in the link has problems",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_message_in_each_language() {
        let all = [
            LinkError::NotALink,
            LinkError::UnknownVersion { found: 0 },
            LinkError::NewerVersion {
                found: 2,
                supported: 1,
            },
            LinkError::Truncated,
            LinkError::Altered,
            LinkError::NotDecompressible,
            LinkError::TooLarge { limit: 1 << 20 },
            LinkError::Malformed { detail: "d".into() },
            LinkError::Invalid(vec![]),
        ];
        for e in all {
            let (ru, en) = (e.message(Lang::Ru), e.message(Lang::En));
            assert!(!ru.is_empty() && !en.is_empty() && ru != en, "{e:?}");
            let (ru, en) = (e.summary(Lang::Ru), e.summary(Lang::En));
            assert!(!ru.is_empty() && !en.is_empty() && ru != en, "{e:?}");
            if !matches!(e, LinkError::Invalid(_)) {
                assert_eq!(e.summary(Lang::En), e.message(Lang::En));
            }
        }
    }
}
