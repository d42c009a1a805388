from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "simpatik.inventory"
    label = "inventory"
    verbose_name = "Inventaris aplikasi"

    def ready(self):
        from simpatik.inventory import census, census_notes, workflow
        from simpatik.sop import hooks

        hooks.register_effect("inventory.register_development", workflow.register_development)
        hooks.register_effect("inventory.register_approved", workflow.register_approved)
        hooks.register_choices("inventory.similar", workflow.similar_choices)
        hooks.register_choice_labels("inventory.similar", workflow.application_labels)
        hooks.register_choices("inventory.hosting", workflow.hosting_choices)
        hooks.register_choice_labels("inventory.hosting", workflow.hosting_labels)
        hooks.register_choices("inventory.platform", workflow.platform_choices)
        hooks.register_choice_labels("inventory.platform", workflow.platform_labels)
        hooks.register_validator(census.VALIDATOR, census.check_value)
        hooks.register_validator(census_notes.VALIDATOR, census_notes.check_notes)
        hooks.register_suggestion(census.suggested_rows)
        hooks.register_completion(check=census.check_completion)
        hooks.register_effect("inventory.apply_census", census.apply_census)
        hooks.register_effect("inventory.publish_census", census.publish_census)
