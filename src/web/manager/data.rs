//! What the dashboard screens read from storage, loaded once per visit to
//! them: every submitted response, the questionnaire versions they name,
//! the locations, the employees' names, and the KPI [`Dataset`] built from them. Filters then only
//! rerun the KPI pass over the dataset; nothing is reread or rebuilt.

use std::sync::Arc;

use crate::domain::employee::EmployeeNames;
use crate::domain::{Location, Questionnaire, Response};
use crate::i18n::Lang;
use crate::kpi::Dataset;
use crate::web::storage::{self, StorageError};
use crate::web::ui::resources::{locations_or_default, questionnaire_index, QuestionnaireIndex};

pub struct DashboardData {
    /// Submitted responses, newest first.
    pub responses: Vec<Response>,
    pub index: QuestionnaireIndex,
    pub locations: Vec<Location>,
    pub employees: EmployeeNames,
    pub dataset: Dataset,
}

impl DashboardData {
    /// The version `r` answered. A scan of the few known versions: no key
    /// to allocate, which matters when a filter change walks 100k responses.
    pub fn questionnaire(&self, r: &Response) -> Option<&Questionnaire> {
        self.index
            .iter()
            .find(|((id, v), _)| *v == r.questionnaire_version && *id == r.questionnaire_id)
            .map(|(_, q)| q)
    }

    pub fn location_name(&self, id: &str) -> String {
        crate::web::ui::resources::location_name(&self.locations, id)
    }

    /// The employee's name, or the id when no record names them.
    pub fn employee_name(&self, id: &str) -> String {
        self.employees.name(id).to_owned()
    }

    /// The newest title of a questionnaire id, in `lang`.
    pub fn questionnaire_title(&self, id: &str, lang: Lang) -> String {
        self.index
            .values()
            .filter(|q| q.id == id)
            .max_by_key(|q| q.version)
            .map(|q| q.title.get(lang).to_owned())
            .unwrap_or_else(|| id.to_owned())
    }
}

pub async fn load(lang: Lang) -> Result<Arc<DashboardData>, StorageError> {
    let store = storage::shared().await?;
    let mut responses: Vec<Response> = store
        .responses()
        .await?
        .into_iter()
        .filter(|r| !r.is_draft())
        .collect();
    crate::dashboard::drill::newest_first(&mut responses);
    let locations = locations_or_default(&store, lang).await?;
    let index = questionnaire_index(&store).await?;
    let employees = EmployeeNames::new(&store.employees().await?);
    let versions: Vec<Questionnaire> = index.values().cloned().collect();
    let dataset = Dataset::build(&versions, &responses);
    Ok(Arc::new(DashboardData {
        responses,
        index,
        locations,
        employees,
        dataset,
    }))
}
