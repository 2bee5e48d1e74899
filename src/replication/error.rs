//! Why a replication stopped, in words a manager can act on. Whatever the
//! error, the batch it hit wrote nothing locally and the checkpoint stayed
//! where it was, so the next attempt resumes without loss or duplicates.

use super::doc::DocProblem;
use super::store::StoreError;
use crate::i18n::Lang;

/// Which exchange with the server went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    DatabaseInfo,
    Checkpoint,
    Changes,
    RevsDiff,
    FetchDocs,
    WriteDocs,
}

impl Stage {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Stage::DatabaseInfo, Lang::Ru) => "сведения о базе",
            (Stage::DatabaseInfo, Lang::En) => "database info",
            (Stage::Checkpoint, Lang::Ru) => "отметка синхронизации",
            (Stage::Checkpoint, Lang::En) => "sync checkpoint",
            (Stage::Changes, Lang::Ru) => "список изменений",
            (Stage::Changes, Lang::En) => "list of changes",
            (Stage::RevsDiff, Lang::Ru) => "сверка ревизий",
            (Stage::RevsDiff, Lang::En) => "revision check",
            (Stage::FetchDocs, Lang::Ru) => "получение документов",
            (Stage::FetchDocs, Lang::En) => "fetching documents",
            (Stage::WriteDocs, Lang::Ru) => "отправка документов",
            (Stage::WriteDocs, Lang::En) => "sending documents",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReplicationError {
    /// No answer: offline, the server down, the connection cut, CORS.
    Network {
        detail: String,
    },
    /// 401: wrong user or password.
    Unauthorized,
    /// 403: the user may not read or write this database.
    Forbidden {
        reason: String,
    },
    /// 404 on the database itself.
    DatabaseNotFound,
    /// 5xx.
    ServerError {
        status: u16,
        reason: String,
    },
    /// Any other status where it makes no sense.
    UnexpectedStatus {
        stage: Stage,
        status: u16,
    },
    NotJson {
        stage: Stage,
    },
    /// JSON, but not the shape the protocol gives this answer.
    WrongShape {
        stage: Stage,
        detail: String,
    },
    ResponseTooLarge {
        stage: Stage,
        found: usize,
        max: usize,
    },
    BadDocument {
        id: String,
        problem: DocProblem,
    },
    /// We asked for one document and got another.
    WrongDocument {
        asked: String,
        got: String,
    },
    /// A revision we did not ask for, or one the server claims we lack
    /// without our having named it.
    UnaskedRevision {
        id: String,
        rev: String,
    },
    /// The server lost a revision it had just listed.
    RevisionUnavailable {
        id: String,
        rev: String,
    },
    /// A revision we asked for and did not get.
    Incomplete {
        id: String,
        rev: String,
    },
    /// The server refused to store a document for another reason than
    /// permissions.
    DocWriteFailed {
        id: String,
        error: String,
        reason: String,
    },
    /// Someone else keeps writing the same checkpoint.
    CheckpointConflict,
    Local(StoreError),
}

impl ReplicationError {
    /// A stable snake_case name, for logs and tests.
    pub fn kind(&self) -> &'static str {
        use ReplicationError as E;
        match self {
            E::Network { .. } => "network",
            E::Unauthorized => "unauthorized",
            E::Forbidden { .. } => "forbidden",
            E::DatabaseNotFound => "database_not_found",
            E::ServerError { .. } => "server_error",
            E::UnexpectedStatus { .. } => "unexpected_status",
            E::NotJson { .. } => "not_json",
            E::WrongShape { .. } => "wrong_shape",
            E::ResponseTooLarge { .. } => "response_too_large",
            E::BadDocument { .. } => "bad_document",
            E::WrongDocument { .. } => "wrong_document",
            E::UnaskedRevision { .. } => "unasked_revision",
            E::RevisionUnavailable { .. } => "revision_unavailable",
            E::Incomplete { .. } => "incomplete",
            E::DocWriteFailed { .. } => "doc_write_failed",
            E::CheckpointConflict => "checkpoint_conflict",
            E::Local(_) => "local",
        }
    }

    /// Whether trying again later can help (with back-off), as opposed to
    /// needing a person to change a setting or the server.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ReplicationError::Network { .. }
                | ReplicationError::ServerError { .. }
                | ReplicationError::CheckpointConflict
        )
    }

    /// What went wrong and what to do, then that nothing was lost: for a
    /// sync that stopped.
    pub fn message(&self, lang: Lang) -> String {
        format!(
            "{} {}",
            self.cause(lang),
            crate::i18n::Msg::SyncNothingLost.text(lang)
        )
    }

    /// What went wrong and what to do, alone: for a check such as "Test
    /// connection", where nothing was under way.
    pub fn cause(&self, lang: Lang) -> String {
        use ReplicationError as E;
        match (self, lang) {
            (E::Network { detail }, Lang::Ru) => format!(
                "Сервер синхронизации недоступен или соединение прервалось ({detail}). \
                 Проверьте интернет и адрес сервера."
            ),
            (E::Network { detail }, Lang::En) => format!(
                "The sync server cannot be reached or the connection dropped ({detail}). \
                 Check the internet connection and the server address."
            ),
            (E::Unauthorized, Lang::Ru) => {
                "Сервер не принял имя пользователя или пароль.".to_owned()
            }
            (E::Unauthorized, Lang::En) => {
                "The server did not accept the user name or password.".to_owned()
            }
            (E::Forbidden { reason }, Lang::Ru) => {
                format!("У этого пользователя нет прав на эту базу данных на сервере ({reason}).")
            }
            (E::Forbidden { reason }, Lang::En) => {
                format!("This user has no permission for this database on the server ({reason}).")
            }
            (E::DatabaseNotFound, Lang::Ru) => {
                "На сервере нет такой базы данных. Проверьте её название.".to_owned()
            }
            (E::DatabaseNotFound, Lang::En) => {
                "The server has no such database. Check its name.".to_owned()
            }
            (E::ServerError { status, reason }, Lang::Ru) => {
                format!("На сервере произошла ошибка (код {status}: {reason}).")
            }
            (E::ServerError { status, reason }, Lang::En) => {
                format!("The server had an error (status {status}: {reason}).")
            }
            (E::UnexpectedStatus { stage, status }, Lang::Ru) => format!(
                "Сервер ответил неожиданным кодом {status} на шаге «{}».",
                stage.label(lang)
            ),
            (E::UnexpectedStatus { stage, status }, Lang::En) => format!(
                "The server answered with an unexpected status {status} during {}.",
                stage.label(lang)
            ),
            (E::NotJson { stage }, Lang::Ru) => format!(
                "Ответ сервера на шаге «{}» повреждён: это не JSON. Возможно, адрес указывает \
                 не на CouchDB.",
                stage.label(lang)
            ),
            (E::NotJson { stage }, Lang::En) => format!(
                "The server's answer during {} is damaged: it is not JSON. The address may \
                 not point to a CouchDB server.",
                stage.label(lang)
            ),
            (E::WrongShape { stage, detail }, Lang::Ru) => format!(
                "Ответ сервера на шаге «{}» не по протоколу CouchDB ({detail}).",
                stage.label(lang)
            ),
            (E::WrongShape { stage, detail }, Lang::En) => format!(
                "The server's answer during {} does not follow the CouchDB protocol ({detail}).",
                stage.label(lang)
            ),
            (E::ResponseTooLarge { stage, found, max }, Lang::Ru) => format!(
                "Ответ сервера на шаге «{}» слишком велик: {found} байт, допустимо не более {max}.",
                stage.label(lang)
            ),
            (E::ResponseTooLarge { stage, found, max }, Lang::En) => format!(
                "The server's answer during {} is too large: {found} bytes, at most {max} allowed.",
                stage.label(lang)
            ),
            (E::BadDocument { id, problem }, Lang::Ru) => format!(
                "Сервер прислал испорченный документ «{id}»: {}.",
                problem.describe(lang)
            ),
            (E::BadDocument { id, problem }, Lang::En) => format!(
                "The server sent a damaged document “{id}”: {}.",
                problem.describe(lang)
            ),
            (E::WrongDocument { asked, got }, Lang::Ru) => {
                format!("Вместо документа «{asked}» сервер прислал «{got}».")
            }
            (E::WrongDocument { asked, got }, Lang::En) => {
                format!("The server sent “{got}” when asked for “{asked}”.")
            }
            (E::UnaskedRevision { id, rev }, Lang::Ru) => {
                format!("Сервер прислал для «{id}» ревизию {rev}, которую у него не запрашивали.")
            }
            (E::UnaskedRevision { id, rev }, Lang::En) => format!(
                "The server answered for “{id}” with revision {rev}, which was not asked for."
            ),
            (E::RevisionUnavailable { id, rev }, Lang::Ru) => {
                format!("Сервер не смог выдать ревизию {rev} документа «{id}», хотя сам её назвал.")
            }
            (E::RevisionUnavailable { id, rev }, Lang::En) => {
                format!("The server could not return revision {rev} of “{id}” that it had listed.")
            }
            (E::Incomplete { id, rev }, Lang::Ru) => {
                format!("Сервер не прислал ревизию {rev} документа «{id}».")
            }
            (E::Incomplete { id, rev }, Lang::En) => {
                format!("The server left out revision {rev} of “{id}”.")
            }
            (E::DocWriteFailed { id, error, reason }, Lang::Ru) => {
                format!("Сервер не сохранил документ «{id}» ({error}: {reason}).")
            }
            (E::DocWriteFailed { id, error, reason }, Lang::En) => {
                format!("The server did not store “{id}” ({error}: {reason}).")
            }
            (E::CheckpointConflict, Lang::Ru) => {
                "Отметку синхронизации одновременно меняет другое устройство.".to_owned()
            }
            (E::CheckpointConflict, Lang::En) => {
                "Another device is changing the same sync checkpoint.".to_owned()
            }
            (E::Local(e), lang) => e.message(lang),
        }
    }
}

impl From<StoreError> for ReplicationError {
    fn from(e: StoreError) -> ReplicationError {
        ReplicationError::Local(e)
    }
}
