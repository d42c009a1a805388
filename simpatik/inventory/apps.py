from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "simpatik.inventory"
    label = "inventory"
    verbose_name = "Inventaris aplikasi"

    def ready(self):
        from simpatik.inventory import workflow
        from simpatik.sop import hooks

        hooks.register_effect("inventory.register_development", workflow.register_development)
        hooks.register_effect("inventory.register_approved", workflow.register_approved)
        hooks.register_choices("inventory.similar", workflow.similar_choices)
        hooks.register_choice_labels("inventory.similar", workflow.application_labels)
        hooks.register_choices("inventory.hosting", workflow.hosting_choices)
        hooks.register_choices("inventory.platform", workflow.platform_choices)
