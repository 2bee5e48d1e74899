//! The questionnaire editor's parts. Every edit goes through
//! [`EditorCtx::edit`], which applies it to the draft in memory and queues
//! the draft for IndexedDB at once, like answers in the fill screen.

use leptos::prelude::*;

pub use crate::domain::new_id;
use crate::domain::{Question, Questionnaire, Section};
use crate::web::ui::autosave::{self, SaveState};

/// Something deleted, kept so one "Undo" can put it back where it was.
#[derive(Debug, Clone)]
pub enum Deleted {
    Section {
        index: usize,
        section: Section,
    },
    Question {
        section_id: String,
        index: usize,
        question: Question,
    },
}

#[derive(Clone, Copy)]
pub struct EditorCtx {
    pub q: RwSignal<Questionnaire>,
    pub save_state: RwSignal<SaveState>,
    pub deleted: RwSignal<Option<Deleted>>,
    /// Sections shown folded to their title. A questionnaire of several
    /// sections opens folded (a template is tens of thousands of pixels
    /// unfolded); one section, and any section added here, opens unfolded.
    pub folded: RwSignal<std::collections::HashSet<String>>,
}

impl EditorCtx {
    pub fn new(q: Questionnaire) -> Self {
        let folded = if q.sections.len() > 1 {
            q.sections.iter().map(|s| s.id.clone()).collect()
        } else {
            Default::default()
        };
        EditorCtx {
            folded: RwSignal::new(folded),
            q: RwSignal::new(q),
            save_state: RwSignal::new(SaveState::Saved),
            deleted: RwSignal::new(None),
        }
    }

    /// Applies `f` to the draft and persists the result.
    pub fn edit(&self, f: impl FnOnce(&mut Questionnaire)) {
        if !self.q.with_untracked(|q| q.is_editable()) {
            return;
        }
        self.q.update(f);
        autosave::save(self.q.get_untracked(), self.save_state);
    }

    pub fn edit_section(&self, section_id: &str, f: impl FnOnce(&mut Section)) {
        self.edit(|q| {
            if let Some(s) = q.sections.iter_mut().find(|s| s.id == section_id) {
                f(s);
            }
        });
    }

    pub fn edit_question(&self, question_id: &str, f: impl FnOnce(&mut Question)) {
        self.edit(|q| {
            if let Some(x) = q
                .sections
                .iter_mut()
                .flat_map(|s| s.questions.iter_mut())
                .find(|x| x.id == question_id)
            {
                f(x);
            }
        });
    }

    // What the toolbar under a section or a question does (see
    // `toolbar.rs`). A delete is kept in `deleted` for one "Undo".

    pub fn move_section(&self, index: usize, step: isize) {
        self.edit(|q| shift(&mut q.sections, index, step));
    }

    /// The copy goes right after the original, with fresh ids for it and
    /// its questions.
    pub fn duplicate_section(&self, index: usize) {
        self.edit(|q| {
            let mut copy = q.sections[index].clone();
            copy.id = new_id("s");
            for x in &mut copy.questions {
                x.id = new_id("q");
            }
            q.sections.insert(index + 1, copy);
        });
    }

    pub fn delete_section(&self, index: usize, section: Section) {
        self.edit(|q| {
            q.sections.remove(index);
        });
        self.deleted.set(Some(Deleted::Section { index, section }));
    }

    pub fn move_question(&self, section_id: &str, index: usize, step: isize) {
        self.edit_section(section_id, |s| shift(&mut s.questions, index, step));
    }

    pub fn duplicate_question(&self, section_id: &str, index: usize) {
        self.edit_section(section_id, |s| {
            let mut copy = s.questions[index].clone();
            copy.id = new_id("q");
            s.questions.insert(index + 1, copy);
        });
    }

    pub fn delete_question(&self, section_id: &str, index: usize, question: Question) {
        self.edit_section(section_id, |s| {
            s.questions.remove(index);
        });
        self.deleted.set(Some(Deleted::Question {
            section_id: section_id.to_owned(),
            index,
            question,
        }));
    }

    pub fn undo_delete(&self) {
        let Some(d) = self.deleted.get_untracked() else {
            return;
        };
        self.edit(|q| match d {
            Deleted::Section { index, section } => {
                q.sections.insert(index.min(q.sections.len()), section);
            }
            Deleted::Question {
                section_id,
                index,
                question,
            } => {
                if let Some(s) = q.sections.iter_mut().find(|s| s.id == section_id) {
                    s.questions.insert(index.min(s.questions.len()), question);
                } else if let Some(s) = q.sections.last_mut() {
                    s.questions.push(question);
                }
            }
        });
        self.deleted.set(None);
    }
}

pub fn use_editor() -> EditorCtx {
    expect_context::<EditorCtx>()
}

/// Moves `items[index]` one step up (`-1`) or down (`1`) if it can.
pub fn shift<T>(items: &mut [T], index: usize, step: isize) {
    let target = index as isize + step;
    if target >= 0 && (target as usize) < items.len() {
        items.swap(index, target as usize);
    }
}
