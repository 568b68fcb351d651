"""The plugin platform; what a plugin imports comes from here.

    from app.plugins import CooperativeTab, DashboardCard, PluginInfo, hookimpl
"""

import pluggy

from app.plugins.info import CORE, DEPARTMENTAL, FEDERAL, PARTNER, CooperativeTab, DashboardCard, LoanItemKind, MailTemplate, PluginInfo, ReportChart, ReportSection, ReportTable

hookimpl = pluggy.HookimplMarker("occe")

__all__ = ["CORE", "DEPARTMENTAL", "FEDERAL", "PARTNER", "CooperativeTab", "DashboardCard", "LoanItemKind", "MailTemplate", "PluginInfo", "ReportChart", "ReportSection", "ReportTable", "hookimpl"]
