"""The sales' French pages: products, orders (entry, quantities, delivery, payment, cancellation), totals."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from app.datamodel import OcceSQLAInterface
from app.directory.models import Cooperative
from app.directory.search import SEARCH_LIMIT, find_cooperatives
from app.extensions import db
from app.money import CENT, EuroField, money, parse_amount
from app.sales import service
from app.sales.models import (
    CYCLES,
    DELIVERY_MODES,
    KINDS,
    ORDERED,
    PAYMENT_METHODS,
    PAYMENT_STATUSES,
    STATUSES,
    Order,
    OrderLine,
    Product,
    cycle_label,
)  # fmt: skip
from app.views import (
    ExportableModelView,
    choice_label,
    french_date,
    input_error,
    yes_no,
)
from app.years.context import viewed_year


def viewed_year_id() -> int | None:
    year = viewed_year()
    return year.id if year else None


def _can(permission: str, view: str) -> bool:
    return current_app.appbuilder.sm.has_access(permission, view)


# --- products ------------------------------------------------------------------------------


def _cycle_coerce(value):
    return int(value) if value not in (None, "", "None") else None


def _unique_name(form, field) -> None:
    """One product of a name per year (the row edited excepted): refused at the form, with what was typed kept."""
    pk = (request.view_args or {}).get("pk")
    clash = db.session.execute(
        select(Product.id).filter(
            Product.school_year_id == viewed_year_id(),
            func.lower(Product.name) == (field.data or "").strip().lower(),
            Product.id != (int(pk) if pk and str(pk).isdigit() else 0),
        )
    ).first()
    if clash:
        raise input_error(gettext("Un produit « %(name)s » existe déjà pour cette année.", name=field.data.strip()))


def _price_range(form, field) -> None:
    """A price from 0 to 10,000 € (a price that could not be read already has its message)."""
    from wtforms.validators import ValidationError

    if field.data is not None and (not Decimal("0") <= field.data <= Decimal("10000") or field.data != field.data.quantize(CENT)):
        raise ValidationError(gettext("Un prix de 0 à 10 000 €."))


class ProductView(ExportableModelView):
    """The products on sale in the viewed year (agenda coop per cycle, calendar...)."""

    datamodel = OcceSQLAInterface(Product)
    list_title = _("Produits en vente")
    show_title = _("Produit")
    add_title = _("Ajouter un produit")
    edit_title = _("Modifier un produit")
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    label_columns = {
        "name": _("Produit"),
        "kind": _("Type"),
        "cycle": _("Cycle"),
        "unit_price": _("Prix unitaire (€)"),
        "active": _("En vente"),
        "description": _("Description"),
        "school_year": _("Année scolaire"),
    }
    list_columns = ["name", "kind", "cycle", "unit_price", "active"]
    show_columns = ["name", "kind", "cycle", "unit_price", "active", "description", "school_year"]
    add_columns = edit_columns = ["name", "kind", "cycle", "unit_price", "active", "description"]
    search_columns = ["name", "kind", "cycle", "active"]
    choice_search_columns = {"kind": KINDS}
    order_columns = ["name", "kind", "cycle", "unit_price"]
    base_order = ("name", "asc")
    formatters_columns = {"kind": choice_label(KINDS), "cycle": cycle_label, "unit_price": money, "active": yes_no}
    description_columns = {
        "unit_price": _("Prix pour un exemplaire, en euros (6,50). Les commandes déjà passées gardent leur prix."),
        "active": _("Décoché : le produit n'est plus proposé dans les nouvelles commandes."),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "kind": SelectField(_("Type"), choices=list(KINDS.items()), validators=[DataRequired()]),
        "name": StringField(_("Produit"), validators=[DataRequired(message=_("Indiquez le nom du produit.")), _unique_name]),
        "cycle": SelectField(_("Cycle"), choices=[("", _("Tous cycles"))] + [(str(k), v) for k, v in CYCLES.items()], coerce=_cycle_coerce, validators=[Optional()]),
        "unit_price": EuroField(_("Prix unitaire (€)"), message="« %(typed)s » n'est pas un prix : écrivez-le par exemple 6,50.", validators=[InputRequired(message=_("Indiquez le prix unitaire.")), _price_range]),
        "active": BooleanField(_("En vente"), default=True),
    }

    def pre_add(self, item: Product) -> None:
        item.school_year_id = viewed_year_id()
        item.name = item.name.strip()

    def pre_update(self, item: Product) -> None:
        item.name = item.name.strip()

    def pre_delete(self, item: Product) -> None:
        """A product already ordered stays (the orders need it): take it off sale instead."""
        used = db.session.execute(select(func.count(func.distinct(OrderLine.order_id))).filter(OrderLine.product_id == item.id)).scalar_one()
        if used:
            raise service.SaleRefused(
                gettext("« %(name)s » figure dans %(count)s commande(s) : il ne peut pas être supprimé. Décochez « En vente » pour ne plus le proposer.", name=item.name, count=used)
            )


# --- orders --------------------------------------------------------------------------------


ORDER_ACTIONS = ("deliver", "payment", "cancel", "remind")


class OrderView(ExportableModelView):
    """Orders of the viewed year; delivery, payment and cancellation through the list's actions."""

    datamodel = OcceSQLAInterface(Order)
    list_title = _("Commandes")
    show_title = _("Commande")
    show_template = "occe/sales/order_show.html"
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    base_permissions = ["can_list", "can_show", "can_export", "can_payment", *ORDER_ACTIONS]
    # the payment form answers to the same right as the action leading to it; the PDF to whoever reads the order
    method_permission_name = {"payment_form": "payment", "delivery_note": "show"}
    label_columns = {
        "id": _("N°"),
        "number": _("N°"),
        "cooperative": _("Coopérative"),
        "cooperative.affiliation_number": _("Coopérative"),
        "school_year": _("Année scolaire"),
        "ordered_on": _("Commandée le"),
        "status": _("Statut"),
        "delivery_mode": _("Livraison"),
        "delivered_on": _("Livrée le"),
        "copies": _("Exemplaires"),
        "total": _("Total (€)"),
        "amount_paid": _("Payé (€)"),
        "payment_status": _("Paiement"),
        "paid_on": _("Dernier paiement le"),
        "payment_reminded_on": _("Relancée le"),
        "payment_method": _("Moyen de paiement"),
        "note": _("Note"),
        "created_by": _("Saisie par"),
    }
    list_columns = ["id", "cooperative.affiliation_number", "ordered_on", "copies", "total", "status", "delivery_mode", "delivered_on", "payment_status", "amount_paid"]
    show_columns = [
        "number", "cooperative", "school_year", "ordered_on", "status", "delivery_mode", "delivered_on", "copies", "total", "payment_status",
        "amount_paid", "paid_on", "payment_method", "payment_reminded_on", "note", "created_by",
    ]  # fmt: skip
    search_columns = ["cooperative", "status", "payment_status", "delivery_mode", "ordered_on", "delivered_on"]
    text_search_relations = {"cooperative": "affiliation_number"}
    choice_search_columns = {"status": STATUSES, "payment_status": PAYMENT_STATUSES, "delivery_mode": DELIVERY_MODES}
    order_columns = ["id", "cooperative.affiliation_number", "ordered_on", "copies", "total", "status", "delivered_on", "payment_status", "amount_paid"]
    base_order = ("ordered_on", "desc")
    formatters_columns = {
        "id": lambda value: f"V{value:05d}" if isinstance(value, int) else value,
        "status": choice_label(STATUSES),
        "payment_status": choice_label(PAYMENT_STATUSES),
        "delivery_mode": choice_label(DELIVERY_MODES),
        "payment_method": choice_label(PAYMENT_METHODS),
        "ordered_on": french_date,
        "delivered_on": french_date,
        "paid_on": french_date,
        "payment_reminded_on": french_date,
        "total": money,
        "amount_paid": money,
    }

    def render_template(self, template, **kwargs):
        if template == self.show_template and kwargs.get("pk") is not None:
            order = self.datamodel.get(kwargs["pk"], self._base_filters)
            if order is not None:
                kwargs.update(
                    order=order,
                    money=money,
                    cycle_label=cycle_label,
                    may_change=order.status == ORDERED and _can("can_order", "OrderEntryView"),
                    may_pay=order.status != "annulee" and order.left_to_pay > 0 and _can("payment", "OrderView"),
                )
        return super().render_template(template, **kwargs)

    def _orders(self, items) -> list[Order]:
        """The chosen orders of the viewed year (FAB's actions ignore the base filters)."""
        items = items if isinstance(items, list) else [items]
        year_id = viewed_year_id()
        return [item for item in items if item is not None and item.school_year_id == year_id]

    def _back(self):
        self.update_redirect()
        return redirect(self.get_redirect())

    @expose("/bon/<int:pk>")
    @has_access
    def delivery_note(self, pk):
        """The order's delivery note and invoice, as a PDF."""
        from app.sales.documents import delivery_note

        order = self.datamodel.get(pk, self._base_filters) or abort(404)
        return delivery_note(order)

    # FAB writes the confirmation into a JavaScript string between plain quotes: no apostrophe in it.
    @action("deliver", _("Marquer livrée"), _("Marquer les commandes choisies comme livrées à la date du jour ?"), "fa-truck")
    def deliver(self, items):
        done = 0
        for order in self._orders(items):
            try:
                service.deliver(order)
                done += 1
            except service.SaleRefused as exc:
                db.session.rollback()
                flash(f"{order} : {exc}", "warning")
        if done:
            flash(gettext("%(count)s commande(s) marquée(s) livrée(s).", count=done), "success")
        return self._back()

    @action("payment", _("Enregistrer le paiement"), None, "fa-euro-sign")
    def payment(self, items):
        orders = self._orders(items)
        if len(orders) != 1:
            flash(gettext("Choisissez une seule commande pour enregistrer un paiement."), "warning")
            return self._back()
        return redirect(url_for("OrderView.payment_form", pk=orders[0].id))

    @expose("/paiement/<int:pk>", methods=["GET", "POST"])
    @has_access
    def payment_form(self, pk):
        order = self.datamodel.get(pk, self._base_filters) or abort(404)
        form = PaymentForm()
        form.payment_method.choices = list(PAYMENT_METHODS.items())
        if request.method == "GET":
            form.paid_on.data = date.today()
            form.amount.data = _decimal_text(order.left_to_pay)
        problem = None
        if request.method == "POST" and form.validate():
            try:
                service.record_payment(order, form.amount_value, on=form.paid_on.data, method=form.payment_method.data)
            except service.SaleRefused as exc:
                db.session.rollback()
                problem = str(exc)
            else:
                flash(
                    gettext("Paiement de %(amount)s enregistré pour la commande %(number)s (%(status)s).", amount=money(form.amount_value), number=order.number,
                            status=PAYMENT_STATUSES[order.payment_status]),
                    "success",
                )
                return redirect(url_for("OrderView.show", pk=order.id))
        return self.render_template("occe/sales/payment_form.html", form=form, order=order, problem=problem, money=money)

    @action("cancel", _("Annuler la commande"), _("Annuler les commandes choisies ? Les exemplaires ne seront plus comptés."), "fa-ban")
    def cancel(self, items):
        done = 0
        for order in self._orders(items):
            try:
                paid = service.cancel(order)
                done += 1
            except service.SaleRefused as exc:
                db.session.rollback()
                flash(f"{order} : {exc}", "warning")
            else:
                if paid:
                    flash(gettext("%(order)s : %(amount)s déjà payés, à rembourser.", order=str(order), amount=money(paid)), "warning")
        if done:
            flash(gettext("%(count)s commande(s) annulée(s).", count=done), "success")
        return self._back()


    @action("remind", _("Relancer le paiement"), _("Envoyer une relance de paiement aux mandataires des commandes choisies ?"), "fa-envelope")
    def remind(self, items):
        from app.sales.reminders import send_payment_reminders

        queued, without_address, skipped = send_payment_reminders(self._orders(items), g.user.id)
        if queued:
            flash(gettext("%(count)s relance(s) de paiement mise(s) dans la file d'envoi.", count=queued), "success")
        if skipped:
            flash(gettext("%(count)s commande(s) sans reste à payer (ou annulée(s)) : pas de relance.", count=skipped), "info")
        for coop in sorted({order.cooperative.affiliation_number for order in without_address}):
            flash(gettext("Pas d'adresse électronique pour la coopérative %(coop)s : relancez-la par téléphone.", coop=coop), "warning")
        return self._back()


def _decimal_text(value) -> str:
    return f"{Decimal(value):.2f}".replace(".", ",")


QUANTITY = re.compile(r"^\d{1,9}$", re.ASCII)


def _amount_check(form, field) -> None:

    value = parse_amount(field.data)
    if value is None or value != value.quantize(CENT):
        raise input_error(gettext("« %(text)s » n'est pas un montant : écrivez-le par exemple 12,50.", text=field.data or ""))
    form.amount_value = value


class PaymentForm(FlaskForm):
    amount = StringField(_("Montant reçu (€)"), validators=[DataRequired(message=_("Indiquez le montant reçu.")), _amount_check])
    paid_on = DateField(_("Reçu le"), validators=[DataRequired(message=_("Indiquez la date du paiement."))])
    payment_method = SelectField(_("Moyen de paiement"), validators=[DataRequired(message=_("Choisissez le moyen de paiement."))])

    amount_value: Decimal | None = None


class OrderDetailsForm(FlaskForm):
    ordered_on = DateField(_("Commandée le"), validators=[DataRequired(message=_("Indiquez la date de la commande."))])
    delivery_mode = SelectField(_("Livraison"), choices=list(DELIVERY_MODES.items()), validators=[DataRequired(message=_("Choisissez le mode de livraison."))])
    note = TextAreaField(_("Note"))
    version = HiddenField()


class OrderEntryView(BaseView):
    """« Nouvelle commande »: find the cooperative, then one quantity per product on sale; also changes an undelivered order."""

    route_base = "/ventes/commande"
    default_view = "choose"
    base_permissions = ["can_order"]
    method_permission_name = {"choose": "order", "new": "order", "change": "order"}

    @expose("/")
    @has_access
    def choose(self):
        text = (request.args.get("q") or "").strip()
        return self.render_template(
            "occe/choose_cooperative.html",
            title=gettext("Nouvelle commande d'agendas et de calendriers"),
            target="OrderEntryView.new",
            keep={},
            text=text,
            found=find_cooperatives(text) if text else [],
            limit=SEARCH_LIMIT,
        )

    def _read_quantities(self, products) -> tuple[dict, dict, dict]:
        """What was typed per product, the quantities understood and the errors (nothing typed is lost)."""
        typed, quantities, errors = {}, {}, {}
        for product in products:
            text = (request.form.get(f"qty_{product.id}") or "").strip()
            typed[product.id] = text
            if not text:
                continue
            if not QUANTITY.match(text) or int(text) > service.MAX_QUANTITY:
                errors[product.id] = gettext(
                    "« %(text)s » n'est pas une quantité valable pour « %(product)s » : un nombre entier de 0 à %(max)s.",
                    text=text, product=product.name, max=service.MAX_QUANTITY,
                )
            elif int(text):
                quantities[product] = int(text)
        return typed, quantities, errors

    def _page(self, *, cooperative, year, products, form, typed, errors, problem, order=None):
        prices = {product.id: product.unit_price for product in products}
        if order is not None:
            prices.update({line.product_id: line.unit_price for line in order.lines})
        total, amounts = Decimal("0.00"), {}
        for product in products:
            text = typed.get(product.id, "")
            if QUANTITY.match(text):
                amounts[product.id] = Decimal(prices[product.id]) * int(text)
                total += amounts[product.id]
        return self.render_template(
            "occe/sales/order_form.html",
            cooperative=cooperative,
            year=year,
            products=products,
            prices=prices,
            form=form,
            typed=typed,
            errors=errors,
            problem=problem,
            order=order,
            total=total,
            amounts=amounts,
            money=money,
            cycle_label=cycle_label,
            kinds=KINDS,
        )

    @expose("/<int:cooperative_id>", methods=["GET", "POST"])
    @has_access
    def new(self, cooperative_id: int):
        cooperative = db.session.get(Cooperative, cooperative_id) or abort(404)
        year = viewed_year()
        products = service.products_on_sale(year)
        form = OrderDetailsForm()
        if request.method == "GET":
            form.ordered_on.data = date.today()
        typed, errors, problem = {}, {}, None
        if not products:
            problem = gettext("Aucun produit n'est en vente pour %(year)s : ajoutez d'abord les produits de l'année.", year=year.label)
        elif request.method == "POST":
            typed, quantities, errors = self._read_quantities(products)
            if form.validate() and not errors:
                try:
                    order = service.place_order(
                        cooperative, year, quantities, ordered_on=form.ordered_on.data, delivery_mode=form.delivery_mode.data,
                        note=form.note.data or None, user_id=g.user.id,
                    )
                except service.SaleRefused as exc:
                    db.session.rollback()
                    problem = str(exc)
                else:
                    flash(gettext("Commande %(number)s enregistrée : %(copies)s exemplaire(s), %(total)s.", number=order.number, copies=order.copies, total=money(order.total)), "success")
                    return redirect(url_for("OrderView.show", pk=order.id))
        return self._page(cooperative=cooperative, year=year, products=products, form=form, typed=typed, errors=errors, problem=problem)

    @expose("/modifier/<int:pk>", methods=["GET", "POST"])
    @has_access
    def change(self, pk: int):
        order = db.session.get(Order, pk)
        if order is None or order.school_year_id != viewed_year_id():
            abort(404)
        products = service.products_on_sale(order.school_year, include=tuple(line.product_id for line in order.lines))
        form = OrderDetailsForm(obj=order if request.method == "GET" else None)
        typed, errors, problem = {}, {}, None
        if request.method == "GET":
            typed = {line.product_id: str(line.quantity) for line in order.lines}
            if order.status != ORDERED:
                problem = gettext("Seule une commande en cours (ni livrée ni annulée) peut être modifiée (statut actuel : %(status)s).", status=order.status_label)
        else:
            typed, quantities, errors = self._read_quantities(products)
            if form.validate() and not errors:
                try:
                    service.change_order(
                        order, quantities, ordered_on=form.ordered_on.data, delivery_mode=form.delivery_mode.data, note=form.note.data or None,
                        version=form.version.data or None,
                    )
                except service.SaleRefused as exc:
                    db.session.rollback()
                    problem = str(exc)
                else:
                    flash(gettext("Commande %(number)s modifiée : %(copies)s exemplaire(s), %(total)s.", number=order.number, copies=order.copies, total=money(order.total)), "success")
                    return redirect(url_for("OrderView.show", pk=order.id))
        return self._page(cooperative=order.cooperative, year=order.school_year, products=products, form=form, typed=typed, errors=errors, problem=problem, order=order)


# --- totals --------------------------------------------------------------------------------


TOTAL_TABLES = ("produits", "secteurs")


def product_table(year) -> tuple[list[str], list[list]]:
    header = [gettext("Produit"), gettext("Exemplaires commandés"), gettext("Montant (€)"), gettext("Exemplaires livrés"), gettext("Exemplaires payés")]
    rows = [[total.product.name, total.quantity, total.amount, total.delivered, total.paid] for total in service.totals_by_product(year)]
    return header, rows


def sector_table(year) -> tuple[list[str], list[list]]:
    products = [total.product for total in service.totals_by_product(year)]
    header = [gettext("Secteur"), *[product.name for product in products], gettext("Total exemplaires"), gettext("Montant (€)")]
    rows = [[sector.name, *[sector.quantities.get(product.id, 0) for product in products], sector.copies, sector.amount] for sector in service.totals_by_sector(year)]
    return header, rows


class SalesTotalsView(BaseView):
    """« Ventes : totaux »: per product and per sector for the viewed year, with bars and exports."""

    route_base = "/ventes/totaux"
    default_view = "page"
    base_permissions = ["can_list", "can_export"]
    method_permission_name = {"page": "list", "export": "export"}

    @expose("/")
    @has_access
    def page(self):
        year = viewed_year()
        by_product = service.totals_by_product(year)
        by_sector = service.totals_by_sector(year)
        return self.render_template(
            "occe/sales/totals.html",
            year=year,
            by_product=by_product,
            by_sector=by_sector,
            products=[total.product for total in by_product],
            figures=service.year_figures(year),
            top_product=max([total.quantity for total in by_product] or [0]) or 1,
            top_sector=max([sector.copies for sector in by_sector] or [0]) or 1,
            money=money,
            may_export=_can("can_export", "SalesTotalsView"),
        )

    @expose("/export/<string:table>/<string:fmt>")
    @has_access
    def export(self, table: str, fmt: str):
        from app.exports import EXPORT_FORMATS, export_filename, export_response

        if table not in TOTAL_TABLES or fmt not in EXPORT_FORMATS:
            abort(404)
        year = viewed_year()
        header, rows = (product_table if table == "produits" else sector_table)(year)
        title = gettext("Ventes par produit") if table == "produits" else gettext("Ventes par secteur")
        return export_response(export_filename(f"ventes-{table}-{year.label}"), fmt, header, rows, sheet_title=title)
