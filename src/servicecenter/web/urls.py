from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, register_converter
from django.views.i18n import set_language

from servicecenter.apps.accounts.forms import LoginForm
from servicecenter.apps.billing import views as billing
from servicecenter.apps.costing import setup_views as costing_setup
from servicecenter.apps.costing import views as costing
from servicecenter.apps.followup import views as followup
from servicecenter.apps.imports import views as imports
from servicecenter.apps.jobs import views as jobs
from servicecenter.apps.metering import views as metering
from servicecenter.apps.network import views as network
from servicecenter.apps.registry import views as registry
from servicecenter.ui.params import IdConverter, YearConverter
from servicecenter.web import views
from servicecenter.web.api import api

register_converter(IdConverter, "id")
register_converter(YearConverter, "year")

urlpatterns = [
    path("", views.home, name="home"),
    path("customers/", registry.customer_list, name="customers"),
    path("customers/<id:pk>/", registry.customer_detail, name="customer"),
    path("services/", registry.service_list, name="services"),
    path("services/<id:pk>/", registry.service_detail, name="service"),
    path("agreements/", registry.agreement_list, name="agreements"),
    path("agreements/<id:pk>/", registry.agreement_detail, name="agreement"),
    path("volumes/", metering.volume_list, name="volumes"),
    path("import/", imports.import_page, name="import"),
    path("import/templates/<slug:kind>.<str:extension>", imports.import_template, name="import-template"),
    path("costing/", costing.costing_home, name="costing"),
    path("costing/runs/<id:pk>/", costing.run_detail, name="costing-run"),
    path("costing/models/<id:pk>/", costing.model_detail, name="costing-model"),
    path("costing/models/new/", costing_setup.model_new, name="costing-model-new"),
    path("costing/pools/", costing_setup.pools, name="costing-pools"),
    path("costing/pools/<id:pk>/", costing_setup.pool_detail, name="costing-pool"),
    path("costing/keys/", costing_setup.keys, name="costing-keys"),
    path("costing/keys/<id:pk>/", costing_setup.key_detail, name="costing-key"),
    path("costing/ledger/", costing_setup.ledger, name="costing-ledger"),
    path("costing/trace/<id:customer_pk>/", costing.customer_trace, name="costing-trace"),
    path("costing/price-lists/", costing.price_lists, name="costing-price-lists"),
    path("costing/price-lists/derive/<id:run_pk>/", costing.price_list_derive, name="costing-price-list-derive"),
    path("costing/price-lists/<id:pk>/", costing.price_list_detail, name="costing-price-list"),
    path("costing/price-lists/<id:pk>/entries/new/", costing.price_list_entry, name="costing-price-list-entry-new"),
    path("costing/price-lists/<id:pk>/entries/<id:service_pk>/", costing.price_list_entry, name="costing-price-list-entry"),
    path("costing/what-if/", costing.what_if, name="costing-what-if"),
    path("costing/compare/", costing.compare_versions, name="costing-compare"),
    path("costing/models/<id:pk>/copy/", costing.copy_version, name="costing-copy"),
    path("costing/behaviour/", costing.behaviour, name="costing-behaviour"),
    path("billing/", billing.billing_home, name="billing"),
    path("billing/runs/<id:pk>/", billing.run_detail, name="billing-run"),
    path("billing/runs/<id:pk>/drafts/<id:n>/", billing.run_draft, name="billing-run-draft"),
    path("billing/invoices/", billing.invoice_list, name="billing-invoices"),
    path("billing/invoices/<id:pk>/", billing.invoice_detail, name="billing-invoice"),
    path("billing/invoices/<id:pk>/<str:kind>/", billing.invoice_download, name="billing-invoice-download"),
    path("billing/reconciliation/<str:month>/", billing.reconciliation, name="billing-reconciliation"),
    path("billing/focus.csv", billing.focus_export, name="billing-focus"),
    path("billing/late-events/", billing.late_events, name="billing-late-events"),
    path("billing/usage/", billing.usage_totals, name="billing-usage"),
    path("followup/", followup.dashboard, name="followup"),
    path("followup/definitions/", followup.definition_list, name="followup-definitions"),
    path("followup/drill/<id:pk>/<str:level>/<path:subject>/<year:year>/", followup.drill, name="followup-drill"),
    path("followup/it-report/<year:year>/", followup.it_report, name="followup-it-report"),
    path("followup/fee-report/<year:year>/", followup.fee_report, name="followup-fee-report"),
    path("followup/entry/", followup.entry, name="followup-entry"),
    path("followup/suppliers/", followup.suppliers, name="followup-suppliers"),
    path("network/", network.overview, name="network"),
    path("network/offices/", network.office_list, name="network-offices"),
    path("network/offices/<slug:code>/", network.office_detail, name="network-office"),
    path("network/partners/", network.partner_list, name="network-partners"),
    path("network/statistics/", network.statistics, name="network-statistics"),
    path("network/scenarios/", network.scenario_list, name="network-scenarios"),
    path("network/scenarios/<id:pk>/", network.scenario_detail, name="network-scenario"),
    path("network/compare/", network.compare, name="network-compare"),
    path("network/optimise/", network.optimise, name="network-optimise"),
    path("organisation/", registry.organisation_page, name="organisation"),
    path("audit/", views.audit_log, name="audit"),
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/<uuid:pk>/", jobs.job_page, name="job"),
    path("jobs/<uuid:pk>/progress/", jobs.job_progress, name="job-progress"),
    path("jobs/<uuid:pk>/cancel/", jobs.job_cancel, name="job-cancel"),
    path("jobs/<uuid:pk>/download/", jobs.job_download, name="job-download"),
    path("login/", auth_views.LoginView.as_view(template_name="login.html", redirect_authenticated_user=True, authentication_form=LoginForm),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("health/", views.health, name="health"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
