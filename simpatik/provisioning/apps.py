from django.apps import AppConfig


class ProvisioningConfig(AppConfig):
    name = "simpatik.provisioning"
    label = "provisioning"
    verbose_name = "Penyediaan layanan"

    def ready(self):
        from simpatik.projects import panels
        from simpatik.provisioning import views, workflow
        from simpatik.provisioning.dns.validation import check_content, check_label
        from simpatik.sop import hooks

        panels.register(
            "provisioning/_repository_panel.html",
            views.repository_panel,
            hints={"has_repository": views.has_repository},
        )
        panels.register(
            "provisioning/_subdomain_panel.html",
            views.subdomain_panel,
            hints={"has_subdomains": views.has_subdomains},
        )
        panels.register(
            "provisioning/_failures_panel.html",
            views.failures_panel,
            hints={"has_failed_jobs": views.has_failed_jobs},
        )
        hooks.register_effect("provisioning.request_repository", workflow.request_repository)
        hooks.register_effect("provisioning.request_subdomain", workflow.request_subdomain)
        hooks.register_effect("provisioning.publish_approved", workflow.publish_approved)
        hooks.register_validator("dns.subdomain", check_label)
        hooks.register_validator("dns.record_content", check_content)
        hooks.register_validator("git.ref", workflow.check_release)
