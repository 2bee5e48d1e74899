//! Why a bundle was refused, in words a manager can act on. A refused file
//! changes nothing: the whole file is checked before any record is handed
//! out.

use super::RecordKind;
use crate::domain::validation::Issue;
use crate::i18n::Lang;

/// Which limit a file broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The whole file, in bytes.
    FileSize,
    /// Records of one kind, declared in the manifest or present.
    Count(RecordKind),
    /// Items of one list or map inside a record.
    Items,
    /// Characters of one text.
    TextLength,
    /// Characters of one id or key.
    IdLength,
    /// Objects inside objects.
    Depth,
    /// Bytes of one photo.
    PhotoBytes,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoProblem {
    /// `bytes_base64` is not standard, padded base64.
    NotBase64,
    /// The bytes are not a JPEG, PNG or WebP image.
    NotAnImage,
    /// The declared type is none of the three.
    UnsupportedType { mime: String },
    /// Declared as one type, the bytes are another.
    TypeMismatch { declared: String, actual: String },
    /// Zero or absurd width or height.
    BadDimensions { width: u32, height: u32 },
}

#[derive(Debug, Clone, PartialEq)]
pub enum BundleError {
    /// Not JSON at all: truncated, a picture, a PDF.
    NotJson {
        detail: String,
    },
    /// JSON, but neither a bundle nor the first build's list of responses.
    NotBundle,
    /// Our envelope around another format, e.g. a questionnaire file.
    WrongFormat {
        found: String,
    },
    /// The format version is missing or not a whole number ≥ 1.
    BadFormatVersion,
    /// Written by a newer build of the app.
    NewerVersion {
        found: u64,
        supported: u64,
    },
    TooLarge {
        what: Limit,
        found: u64,
        max: u64,
        /// Where in the file, e.g. `responses[3].answers.q1.comment`;
        /// empty for the file as a whole.
        at: String,
    },
    /// The content does not hash to the manifest's checksum: edited or
    /// damaged after it was written.
    ChecksumMismatch {
        declared: String,
        actual: String,
    },
    /// Fields missing or of the wrong type, invalid UUIDs, dates or tags.
    Malformed {
        detail: String,
    },
    /// The manifest's count of a kind differs from the records present.
    CountMismatch {
        kind: RecordKind,
        declared: u64,
        found: u64,
    },
    DuplicateId {
        kind: RecordKind,
        id: String,
    },
    EmptyId {
        kind: RecordKind,
        index: usize,
    },
    BadPhoto {
        id: String,
        problem: PhotoProblem,
    },
    /// A published questionnaire that fails validation.
    InvalidQuestionnaire {
        id: String,
        version: u32,
        issues: Vec<Issue>,
    },
}

impl BundleError {
    /// A stable snake_case name, for logs and the malformed-file corpus.
    pub fn kind(&self) -> &'static str {
        match self {
            BundleError::NotJson { .. } => "not_json",
            BundleError::NotBundle => "not_bundle",
            BundleError::WrongFormat { .. } => "wrong_format",
            BundleError::BadFormatVersion => "bad_format_version",
            BundleError::NewerVersion { .. } => "newer_version",
            BundleError::TooLarge { .. } => "too_large",
            BundleError::ChecksumMismatch { .. } => "checksum_mismatch",
            BundleError::Malformed { .. } => "malformed",
            BundleError::CountMismatch { .. } => "count_mismatch",
            BundleError::DuplicateId { .. } => "duplicate_id",
            BundleError::EmptyId { .. } => "empty_id",
            BundleError::BadPhoto { .. } => "bad_photo",
            BundleError::InvalidQuestionnaire { .. } => "invalid_questionnaire",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        use BundleError as E;
        match (self, lang) {
            (E::NotJson { detail }, Lang::Ru) => format!(
                "Файл не читается как JSON — возможно, он повреждён или обрезан ({detail})."
            ),
            (E::NotJson { detail }, Lang::En) => format!(
                "The file cannot be read as JSON; it may be damaged or cut short ({detail})."
            ),
            (E::NotBundle, Lang::Ru) => "Это не файл резервной копии ServiceLens.".to_owned(),
            (E::NotBundle, Lang::En) => "This is not a ServiceLens backup file.".to_owned(),
            (E::WrongFormat { found }, Lang::Ru) => {
                format!("Это файл типа «{found}», а не резервная копия ServiceLens.")
            }
            (E::WrongFormat { found }, Lang::En) => {
                format!("This is a “{found}” file, not a ServiceLens backup.")
            }
            (E::BadFormatVersion, Lang::Ru) => {
                "В файле не указана или испорчена версия формата.".to_owned()
            }
            (E::BadFormatVersion, Lang::En) => {
                "The file's format version is missing or damaged.".to_owned()
            }
            (E::NewerVersion { found, supported }, Lang::Ru) => format!(
                "Файл сохранён более новой версией ServiceLens (формат {found}, это приложение \
                 читает до {supported}). Обновите приложение и импортируйте файл снова."
            ),
            (E::NewerVersion { found, supported }, Lang::En) => format!(
                "The file was saved by a newer ServiceLens (format {found}; this app reads up \
                 to {supported}). Update the app and import the file again."
            ),
            (
                E::TooLarge {
                    what,
                    found,
                    max,
                    at,
                },
                lang,
            ) => too_large(*what, *found, *max, at, lang),
            (E::ChecksumMismatch { .. }, Lang::Ru) => {
                "Контрольная сумма файла не совпадает с содержимым: файл изменили или повредили \
                 после сохранения. Попросите отправить его заново."
                    .to_owned()
            }
            (E::ChecksumMismatch { .. }, Lang::En) => {
                "The file's checksum does not match its contents: it was changed or damaged \
                 after it was saved. Ask for it to be sent again."
                    .to_owned()
            }
            (E::Malformed { detail }, Lang::Ru) => {
                format!("Данные в файле повреждены или неполны: {detail}.")
            }
            (E::Malformed { detail }, Lang::En) => {
                format!("The data in the file is damaged or incomplete: {detail}.")
            }
            (
                E::CountMismatch {
                    kind,
                    declared,
                    found,
                },
                Lang::Ru,
            ) => format!(
                "«{}»: в оглавлении файла указано {declared}, а в самом файле {found} — файл \
                 неполон или изменён.",
                kind.label(lang)
            ),
            (
                E::CountMismatch {
                    kind,
                    declared,
                    found,
                },
                Lang::En,
            ) => format!(
                "The file's manifest lists {declared} {} but the file holds {found}: it is \
                 incomplete or was changed.",
                kind.label(lang).to_lowercase()
            ),
            (E::DuplicateId { kind, id }, Lang::Ru) => format!(
                "Запись «{id}» вида «{}» встречается в файле дважды.",
                kind.label(lang)
            ),
            (E::DuplicateId { kind, id }, Lang::En) => format!(
                "The id “{id}” appears twice among the {} in the file.",
                kind.label(lang).to_lowercase()
            ),
            (E::EmptyId { kind, index }, Lang::Ru) => format!(
                "У записи №{} вида «{}» нет идентификатора.",
                index + 1,
                kind.label(lang)
            ),
            (E::EmptyId { kind, index }, Lang::En) => format!(
                "Record {} among the {} has no id.",
                index + 1,
                kind.label(lang).to_lowercase()
            ),
            (E::BadPhoto { id, problem }, lang) => bad_photo(id, problem, lang),
            (
                E::InvalidQuestionnaire {
                    id,
                    version,
                    issues,
                },
                Lang::Ru,
            ) => Issue::bulleted_list(
                &format!("В анкете «{id}» (версия {version}) есть ошибки"),
                issues,
                lang,
            ),
            (
                E::InvalidQuestionnaire {
                    id,
                    version,
                    issues,
                },
                Lang::En,
            ) => Issue::bulleted_list(
                &format!("The questionnaire “{id}” (version {version}) has problems"),
                issues,
                lang,
            ),
        }
    }
}

impl super::limits::Exceeded {
    /// The same text as [`BundleError::TooLarge`]'s.
    pub fn message(&self, lang: Lang) -> String {
        too_large(self.what, self.found, self.max, &self.at, lang)
    }
}

fn too_large(what: Limit, found: u64, max: u64, at: &str, lang: Lang) -> String {
    let what_text = match (what, lang) {
        (Limit::FileSize, Lang::Ru) => "Файл слишком велик (байт)".to_owned(),
        (Limit::FileSize, Lang::En) => "The file is too large (bytes)".to_owned(),
        (Limit::Count(kind), Lang::Ru) => {
            format!("Слишком много записей вида «{}»", kind.label(lang))
        }
        (Limit::Count(kind), Lang::En) => {
            format!("Too many {}", kind.label(lang).to_lowercase())
        }
        (Limit::Items, Lang::Ru) => "Слишком длинный список".to_owned(),
        (Limit::Items, Lang::En) => "A list is too long".to_owned(),
        (Limit::TextLength, Lang::Ru) => "Слишком длинный текст (символов)".to_owned(),
        (Limit::TextLength, Lang::En) => "A text is too long (characters)".to_owned(),
        (Limit::IdLength, Lang::Ru) => "Слишком длинный идентификатор (символов)".to_owned(),
        (Limit::IdLength, Lang::En) => "An id is too long (characters)".to_owned(),
        (Limit::Depth, Lang::Ru) => "Слишком глубокая вложенность данных".to_owned(),
        (Limit::Depth, Lang::En) => "The data is nested too deeply".to_owned(),
        (Limit::PhotoBytes, Lang::Ru) => "Слишком большое фото (байт)".to_owned(),
        (Limit::PhotoBytes, Lang::En) => "A photo is too large (bytes)".to_owned(),
    };
    let place = match (at.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Ru) => format!(" в {at}"),
        (false, Lang::En) => format!(" at {at}"),
    };
    match lang {
        Lang::Ru => format!("{what_text}{place}: {found}, допустимо не более {max}."),
        Lang::En => format!("{what_text}{place}: {found}, at most {max} allowed."),
    }
}

fn bad_photo(id: &str, problem: &PhotoProblem, lang: Lang) -> String {
    use PhotoProblem as P;
    let what = match (problem, lang) {
        (P::NotBase64, Lang::Ru) => "данные не в кодировке base64".to_owned(),
        (P::NotBase64, Lang::En) => "its data is not base64".to_owned(),
        (P::NotAnImage, Lang::Ru) => "это не изображение JPEG, PNG или WebP".to_owned(),
        (P::NotAnImage, Lang::En) => "it is not a JPEG, PNG or WebP image".to_owned(),
        (P::UnsupportedType { mime }, Lang::Ru) => {
            format!("тип «{mime}» не поддерживается (нужен JPEG, PNG или WebP)")
        }
        (P::UnsupportedType { mime }, Lang::En) => {
            format!("the type “{mime}” is not supported (JPEG, PNG or WebP only)")
        }
        (P::TypeMismatch { declared, actual }, Lang::Ru) => {
            format!("заявлен тип «{declared}», а на деле это «{actual}»")
        }
        (P::TypeMismatch { declared, actual }, Lang::En) => {
            format!("it claims to be “{declared}” but is “{actual}”")
        }
        (P::BadDimensions { width, height }, Lang::Ru) => {
            format!("недопустимый размер {width}×{height}")
        }
        (P::BadDimensions { width, height }, Lang::En) => {
            format!("its size {width}×{height} is impossible")
        }
    };
    match lang {
        Lang::Ru => format!("Фото «{id}» отклонено: {what}."),
        Lang::En => format!("The photo “{id}” was refused: {what}."),
    }
}
