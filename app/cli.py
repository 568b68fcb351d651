"""The ``flask occe`` command group: set-up, upgrades, demo data and plugin tools."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade as upgrade_core

from app.extensions import db
from app.plugins.manager import PluginManager


def register_cli(app: Flask, manager: PluginManager) -> None:
    from app.report.cli import report_command

    occe = AppGroup("occe", help="Commandes de la console OCCE.")
    for command in (init_command, upgrade_command, demo_command, new_year_command, report_command, plugins_command, backup_command, restore_command, plugin_group):
        occe.add_command(command)
    for plugin in manager.loaded():
        if "occe_cli_commands" in plugin.hooks:
            group = AppGroup(plugin.code, help=f"Commandes du plugin {plugin.label}.")
            answered, _ = manager.call_one(plugin, "occe_cli_commands", cli=group)
            if answered:
                occe.add_command(group)
    app.cli.add_command(occe)


def _manager() -> PluginManager:
    return current_app.extensions["occe_plugins"]


# --- upgrade ---------------------------------------------------------------


def run_upgrade(echo=click.echo) -> list[str]:
    """Upgrade the core, then every loaded plugin that has migrations; return the failures.

    A plugin installed for the first time is switched on for the current year.
    A plugin whose folder was removed is simply not upgraded: its tables stay.
    """
    from app.plugins import migrations
    from app.plugins.switches import set_switch
    from app.years.service import ensure_current_year

    upgrade_core(directory=current_app.extensions["migrate"].directory)
    year = ensure_current_year()
    db.session.commit()
    echo(f"Cœur : à jour (année courante {year.label}).")
    failures = []
    manager = _manager()
    for plugin in manager.describe():
        if not plugin.ok:
            reason = "bloqué par la configuration" if plugin.blocked else plugin.import_error
            echo(f"Plugin {plugin.code} : ignoré ({reason}).")
            continue
        if plugin.migrations_dir is None:
            continue
        try:
            first = migrations.upgrade_plugin(plugin)
        except Exception as exc:  # report and go on with the other plugins
            db.session.rollback()
            failures.append(plugin.code)
            echo(f"Plugin {plugin.code} : ÉCHEC de la migration ({type(exc).__name__}: {exc}).", err=True)
            continue
        echo(f"Plugin {plugin.code} : à jour.")
        if first and plugin.yearly:
            set_switch(manager, plugin, year, True)
            echo(f"Plugin {plugin.code} : installé et activé pour {year.label}.")
    orphans = sorted(set(migrations.installed_plugin_codes()) - set(manager.plugins))
    for code in orphans:
        echo(f"Plugin {code} : absent du disque, ses tables sont conservées ({', '.join(migrations.plugin_tables(code))}).")
    return failures


@click.command("upgrade")
@with_appcontext
def upgrade_command() -> None:
    """Met à jour le schéma du cœur puis de chaque plugin installé."""
    failures = run_upgrade()
    if failures:
        raise click.ClickException(f"Migration en échec pour : {', '.join(failures)}.")


# --- init ------------------------------------------------------------------


def ensure_roles_and_permissions() -> None:
    appbuilder = current_app.appbuilder
    appbuilder.sm.ensure_roles()
    appbuilder.add_permissions(update_perms=True)


def create_admin(username: str, email: str, password: str, first_name: str = "Admin", last_name: str = "OCCE"):
    """Create an administrator, refusing to leave one without the Admin role."""
    from app.security.passwords import password_problem

    sm = current_app.appbuilder.sm
    problem = password_problem(password, current_app.config.get("PASSWORD_MIN_LENGTH", 12))
    if problem:
        raise click.ClickException(problem)
    role = sm.find_role(sm.auth_role_admin)
    if role is None:
        raise click.ClickException("Le rôle Admin n'existe pas : exécutez d'abord « flask occe upgrade ».")
    user = sm.add_user(username, first_name, last_name, email, [role], password=password)
    if not user or not user.roles:
        raise click.ClickException(f"Impossible de créer l'administrateur « {username} ».")
    return user


def _has_admin() -> bool:
    sm = current_app.appbuilder.sm
    role = sm.find_role(sm.auth_role_admin)
    return bool(role and any(user.roles and role in user.roles for user in sm.get_all_users()))


DEMO_PARTNER_USERNAME = "partenaire"


def _demo_partner_login() -> str | None:
    """A demonstration account of the Partenaire role, tied to the organisation working on the most actions.

    Shows what an artist or the publisher sees (« Espace partenaire ») next to
    the admin's view. Created once, with a random password kept in instance/;
    nothing happens when no partner organisation works on an action yet.
    """
    from sqlalchemy import func, select

    from app.partners.models import ActionPartner, PartnerAccount
    from app.security.roles import PARTENAIRE

    sm = current_app.appbuilder.sm
    password_file = Path(current_app.instance_path) / "partner-password.txt"
    user = sm.find_user(username=DEMO_PARTNER_USERNAME)
    if user is None:
        partner_id = db.session.execute(
            select(ActionPartner.partner_id).group_by(ActionPartner.partner_id).order_by(func.count(ActionPartner.id).desc(), ActionPartner.partner_id).limit(1)
        ).scalar_one_or_none()
        role = sm.find_role(PARTENAIRE)
        if partner_id is None or role is None:
            return None
        password = secrets.token_urlsafe(12)
        user = sm.add_user(DEMO_PARTNER_USERNAME, "Compte", "Partenaire", "partenaire@example.org", [role], password=password)
        if not user:
            return None
        db.session.add(PartnerAccount(user_id=user.id, partner_id=partner_id))
        db.session.commit()
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
    if not password_file.exists():
        return None
    account = db.session.execute(select(PartnerAccount).where(PartnerAccount.user_id == user.id)).scalar_one_or_none()
    organisation = f" ({account.partner})" if account else ""
    return f"Partenaire de démonstration{organisation} : identifiant {DEMO_PARTNER_USERNAME}   Mot de passe : {password_file.read_text().strip()}"


@click.command("init")
@with_appcontext
@click.option("--demo-admin", is_flag=True, help="Crée « admin » avec un mot de passe aléatoire gardé dans instance/ (démonstration).")
def init_command(demo_admin: bool) -> None:
    """Crée les rôles, les permissions, l'année courante et le premier administrateur.

    L'administrateur vient de OCCE_ADMIN_USERNAME, OCCE_ADMIN_EMAIL et
    OCCE_ADMIN_PASSWORD, ou d'une saisie au clavier.
    """
    from app.years.service import ensure_current_year

    ensure_roles_and_permissions()
    year = ensure_current_year()
    db.session.commit()
    click.echo(f"Rôles et permissions à jour ; année courante : {year.label}.")

    password_file = Path(current_app.instance_path) / "admin-password.txt"
    if demo_admin:
        if not _has_admin():
            password = secrets.token_urlsafe(12)
            create_admin("admin", "admin@example.org", password)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        if password_file.exists():
            click.echo(f"Identifiant : admin   Mot de passe : {password_file.read_text().strip()}")
        partner = _demo_partner_login()
        if partner:
            click.echo(partner)
        return
    if _has_admin():
        click.echo("Un administrateur existe déjà.")
        return
    interactive = sys.stdin.isatty()
    username = os.environ.get("OCCE_ADMIN_USERNAME") or (click.prompt("Identifiant de l'administrateur") if interactive else None)
    email = os.environ.get("OCCE_ADMIN_EMAIL") or (click.prompt("Courriel") if interactive else None)
    password = os.environ.get("OCCE_ADMIN_PASSWORD") or (
        click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True) if interactive else None
    )
    if not (username and email and password):
        raise click.ClickException("Définissez OCCE_ADMIN_USERNAME, OCCE_ADMIN_EMAIL et OCCE_ADMIN_PASSWORD.")
    create_admin(username, email, password)
    click.echo(f"Administrateur « {username} » créé.")


# --- demo ------------------------------------------------------------------


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Charge des données fictives mais réalistes (sans doublon si relancé)."""
    from app.demo import load_demo

    for line in load_demo():
        click.echo(line)


# --- year rollover -------------------------------------------------------


def rollover_lines(report) -> list[str]:
    """The French summary of a rollover, shared by the command and the admin page."""
    from app.years.rollover import RolloverReport

    assert isinstance(report, RolloverReport)
    head = f"Année {report.year.label} créée." if report.created else f"Année {report.year.label} : déjà ouverte."
    lines = [head]
    if report.switches:
        lines.append("Plugins activés comme l'an dernier : " + ", ".join(report.switches) + ".")
    if report.actions:
        lines.append(f"Actions reconduites ({len(report.actions)}) : " + ", ".join(report.actions) + ".")
    if report.classes:
        lines.append(f"Classes reconduites : {report.classes} (à vérifier : niveaux et effectifs).")
    if not report.created and not (report.switches or report.actions or report.classes):
        lines.append("Rien à faire : tout est déjà reporté.")
    return lines


@click.command("new-year")
@with_appcontext
@click.option("--from", "from_label", default=None, help="Année à reconduire (par défaut : l'année courante).")
@click.option("--classes", is_flag=True, help="Reconduire aussi les classes (mêmes noms, niveaux, enseignants, effectifs).")
def new_year_command(from_label: str | None, classes: bool) -> None:
    """Ouvre l'année scolaire suivante : plugins actifs, actions reconduites, classes sur demande."""
    from app.years.rollover import open_next_year
    from app.years.service import current_year, get_year

    previous = get_year(from_label) if from_label else current_year()
    if previous is None:
        raise click.ClickException(f"Année scolaire « {from_label} » introuvable.")
    for line in rollover_lines(open_next_year(previous, roll_classes=classes)):
        click.echo(line)
    click.echo("Les inscriptions de l'année précédente restent consultables (choix de l'année dans la barre de navigation).")


# --- plugins ---------------------------------------------------------------


@click.command("plugins")
@with_appcontext
def plugins_command() -> None:
    """Liste les plugins : code, version, source, crochets, état par année, erreurs."""
    from app.plugins.listing import plugin_lines

    for line in plugin_lines(_manager()):
        click.echo(line)


@click.group("plugin")
def plugin_group() -> None:
    """Créer, migrer ou purger un plugin."""


@plugin_group.command("new")
@with_appcontext
@click.argument("code")
@click.option("--label", default=None, help="Libellé français (par défaut : le code).")
@click.option("--dest", type=click.Path(file_okay=False), default=None, help="Dossier des plugins (par défaut : plugins/).")
def plugin_new(code: str, label: str | None, dest: str | None) -> None:
    """Crée un plugin d'action prêt à l'emploi dans plugins/CODE."""
    from app import ROOT
    from app.plugins.scaffold import ScaffoldError, scaffold

    try:
        path = scaffold(code, Path(dest) if dest else ROOT / "plugins", label=label)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Plugin créé dans {path}. Lancez « flask occe upgrade » pour créer ses tables et l'activer.")


@plugin_group.command("revision")
@with_appcontext
@click.argument("code")
@click.option("-m", "--message", required=True, help="Ce que change la migration.")
def plugin_revision(code: str, message: str) -> None:
    """Écrit une nouvelle migration du plugin CODE d'après ses modèles."""
    from app.plugins.migrations import new_revision

    plugin = _manager().get(code)
    if plugin is None or not plugin.ok:
        raise click.ClickException(f"Plugin « {code} » absent ou en erreur.")
    new_revision(plugin, message)


@plugin_group.command("purge")
@with_appcontext
@click.argument("code")
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation.")
def plugin_purge(code: str, yes: bool) -> None:
    """Supprime définitivement les tables du plugin CODE, après une sauvegarde."""
    from app.maintenance import backup_database
    from app.plugins.migrations import drop_plugin_tables, plugin_tables

    tables = plugin_tables(code)
    if not tables:
        raise click.ClickException(f"Aucune table « {code}_* » dans la base.")
    if not yes:
        click.confirm(f"Supprimer définitivement {', '.join(tables)} ?", abort=True)
    path = backup_database()
    click.echo(f"Sauvegarde : {path}")
    dropped = drop_plugin_tables(code)
    click.echo(f"Tables supprimées : {', '.join(dropped)}")


@click.command("backup")
@with_appcontext
def backup_command() -> None:
    """Sauvegarde la base dans instance/backups/."""
    from app.maintenance import backup_database

    click.echo(f"Sauvegarde : {backup_database()}")


@click.command("restore")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation.")
@with_appcontext
def restore_command(backup: Path, yes: bool) -> None:
    """Remplace toute la base par la sauvegarde BACKUP (après une sauvegarde de l'état actuel)."""
    from app.maintenance import backup_database, restore_database, row_counts

    if not yes:
        click.confirm(f"Remplacer toute la base par {backup} ?", abort=True)
    click.echo(f"Sauvegarde de l'état actuel : {backup_database()}")
    try:
        restore_database(backup)
    except (ValueError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    total = sum(row_counts().values())
    click.echo(f"Base restaurée depuis {backup} ({total} lignes).")
