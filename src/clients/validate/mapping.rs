//! The `[[mapping]]` rules: what each client control sends for a value of the matrix.

use super::*;

impl Ctx<'_> {
    pub(super) fn mapping(&mut self, m: &Mapping) {
        let fields = self.fields.clone();
        self.labelled("mapping entry", m);
        self.scope_refs(m);
        for f in &m.fields {
            self.reference("field", f, &fields);
        }
        for (what, t) in [
            ("note", &m.note),
            ("reason", &m.reason),
            ("instead", &m.instead),
        ] {
            if let Some(t) = t {
                self.text(&format!("mapping {what}"), t);
            }
        }
        let need = match m.support {
            Support::Control => None,
            Support::Automatic => m.note.is_none().then_some("a `note`"),
            Support::Unsupported => {
                (m.reason.is_none() || m.instead.is_none()).then_some("a `reason` and an `instead`")
            }
        };
        if let Some(need) = need {
            self.error(
                &m.value,
                format!(
                    "mapping `{}` = `{}` needs {need}",
                    m.setting.get_ref().as_str(),
                    m.value.get_ref()
                ),
            );
        }
        for a in &m.alternatives {
            self.text("alternative versions", &a.versions);
            self.labelled("alternative", a);
        }
        self.mapping_rules(m);
        self.mechanisms(m);
    }

    /// An auth entry says what the client sends when it is chosen; whether a guide tells
    /// customers to choose it is computed from that, so it is never `unsupported`.
    fn mechanisms(&mut self, m: &Mapping) {
        let what = format!(
            "mapping `{}` = `{}`",
            m.setting.get_ref().as_str(),
            m.value.get_ref()
        );
        if *m.setting.get_ref() != Setting::Auth {
            if !m.mechanisms.is_empty() {
                self.error(
                    &m.value,
                    format!("{what}: only auth entries have `mechanisms`"),
                );
            }
            return;
        }
        if m.support == Support::Unsupported {
            self.error(
                &m.value,
                format!("{what}: a method the client lacks is not an entry; the guides compute what to choose from the client's other auth entries and what the servers accept (remove this entry, and give the client's methods their `mechanisms`)"),
            );
        } else if m.mechanisms.is_empty() && m.value.get_ref() != "none" {
            self.error(
                &m.value,
                format!("{what} needs `mechanisms`: what the client sends when it is chosen (cram-md5, apop, plain, ntlm)"),
            );
        }
    }

    /// The README's rules for one `[[mapping]]` entry beyond its keys: a control entry
    /// names its control and fields, a checkbox/toggle its state, a list entry (dropdown,
    /// radio, segmented, picker) its label; every field it names shows that setting.
    fn mapping_rules(&mut self, m: &Mapping) {
        let what = format!(
            "mapping `{}` = `{}`",
            m.setting.get_ref().as_str(),
            m.value.get_ref()
        );
        if m.support == Support::Control {
            if m.fields.is_empty() {
                self.error(
                    &m.value,
                    format!(
                        "{what} is a control but names no `fields` (the field ids carrying it)"
                    ),
                );
            }
            let control = m.control.map(Control::as_str).unwrap_or_default();
            match m.control {
                None => self.error(
                    &m.value,
                    format!("{what} is a control but has no `control` (checkbox, toggle, dropdown, radio, segmented or picker)"),
                ),
                Some(Control::Checkbox | Control::Toggle) if m.state.is_none() => self.error(
                    &m.value,
                    format!("{what}: a {control} needs the `state` to set (on or off)"),
                ),
                Some(Control::Dropdown | Control::Radio | Control::Segmented | Control::Picker)
                    if m.label.is_none() =>
                {
                    self.error(
                        &m.value,
                        format!("{what}: a {control} entry needs the `label` of the entry to choose"),
                    )
                }
                Some(
                    Control::Checkbox
                    | Control::Toggle
                    | Control::Dropdown
                    | Control::Radio
                    | Control::Segmented
                    | Control::Picker,
                ) => {}
                Some(_) => self.error(
                    &m.value,
                    format!("{what}: `control = \"{control}\"` cannot carry a setting (checkbox, toggle, dropdown, radio, segmented or picker)"),
                ),
            }
        }
        let setting = m.setting.get_ref().as_str();
        for id in &m.fields {
            if let Some(f) = self.client.field(id.get_ref()) {
                if f.value.as_str() != setting {
                    self.error(
                        id,
                        format!(
                            "{what} names field `{}`, which shows a {} (its `value`), not a {setting}",
                            id.get_ref(),
                            f.value.as_str()
                        ),
                    );
                }
            }
        }
    }

    /// One entry per edition × (setting, value, protocol): two that overlap would make the
    /// guide depend on their order.
    pub(super) fn mapping_overlaps(&mut self) {
        let c = self.client;
        for e in &c.editions {
            let ed = e.id.get_ref();
            for proto in [Protocol::Pop3, Protocol::Imap, Protocol::Smtp] {
                let protocols = [proto];
                let scope = Scope::edition(ed).over(&protocols);
                for (i, m) in c.mapping.iter().enumerate() {
                    if !scope.admits(m) {
                        continue;
                    }
                    let earlier = c.mapping[..i].iter().any(|o| {
                        scope.admits(o)
                            && o.setting.get_ref() == m.setting.get_ref()
                            && o.value.get_ref() == m.value.get_ref()
                    });
                    if earlier {
                        self.error(
                            &m.value,
                            format!(
                                "mapping `{}` = `{}` overlaps an earlier entry for edition `{ed}` over {}: narrow `editions` or `protocols` so each connection has one entry",
                                m.setting.get_ref().as_str(),
                                m.value.get_ref(),
                                proto.as_str()
                            ),
                        );
                    }
                }
            }
        }
    }
}
