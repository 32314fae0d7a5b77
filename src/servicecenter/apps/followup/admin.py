"""Admin for the follow-up: definitions (a new version is a new row), goals, activities, budgets,
appropriations, staff figures, surveys, registers and restrictions. Scoped and audited."""

from django.contrib import admin

from servicecenter.apps.accounts.admin import ScopedAdmin
from servicecenter.apps.followup import models


@admin.register(models.IndicatorDefinition)
class IndicatorDefinitionAdmin(ScopedAdmin):
    list_display = ("code", "version", "valid_from", "name_sv", "family", "goal", "direction", "target", "levels", "sensitive")
    list_filter = ("provider", "family")
    search_fields = ("code", "name_sv", "name_en")


@admin.register(models.Goal)
class GoalAdmin(ScopedAdmin):
    list_display = ("name_sv", "code", "position", "provider")


class BudgetInline(admin.TabularInline):
    model = models.ActivityBudget
    extra = 0


class OpeningInline(admin.StackedInline):
    model = models.ActivityOpening
    extra = 0


@admin.register(models.FeeActivity)
class FeeActivityAdmin(ScopedAdmin):
    list_display = ("name_sv", "code", "section", "objects_in_ledger", "balance_goal_year")
    inlines = [OpeningInline, BudgetInline]


class AppropriationYearInline(admin.TabularInline):
    model = models.AppropriationYear
    extra = 0


@admin.register(models.Appropriation)
class AppropriationAdmin(ScopedAdmin):
    list_display = ("code", "name", "revenue_accounts")
    inlines = [AppropriationYearInline]


@admin.register(models.StaffYear)
class StaffYearAdmin(ScopedAdmin):
    list_display = ("provider", "year", "fte", "average_employees", "source")


@admin.register(models.Survey)
class SurveyAdmin(ScopedAdmin):
    list_display = ("code", "year", "kind", "service", "population", "sample_size")
    list_filter = ("provider", "year", "kind")


@admin.register(models.Restriction)
class RestrictionAdmin(ScopedAdmin):
    list_display = ("indicator", "subject", "reason", "provider")
