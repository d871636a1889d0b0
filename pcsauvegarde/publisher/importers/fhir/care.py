"""Map nursing care (CarePlan activities, Task, nursing ServiceRequest) to care tasks.

An active care plan (diet, exercise, education…) must reach the plan de soins: each activity
still to do becomes a CareTask; an activity without a schedule keeps a text timing (a row to
fill in by hand), never an invented one.
"""

from __future__ import annotations

from pcsauvegarde.core.records import CareTask, ImagingExam, Timing
from pcsauvegarde.publisher.importers.fhir.context import Context
from pcsauvegarde.publisher.importers.fhir.ignored import Ignored
from pcsauvegarde.publisher.importers.fhir.imaging import is_imaging_request, map_imaging_request
from pcsauvegarde.publisher.importers.fhir.systems import (
    GENERIC_CARE_PLAN_CODES,
    NURSE_ROLE_CODES,
    NURSING_CATEGORY_CODES,
)
from pcsauvegarde.publisher.importers.fhir.timing import timing_of
from pcsauvegarde.publisher.importers.fhir.values import (
    Refused,
    codings,
    concept_text,
    fhir_datetime,
    lst,
    obj,
    objs,
    optional_datetime,
    text,
)

UNSCHEDULED = "sans horaire prévu"
_PLAN_OPEN = ("active", "on-hold")
_ACTIVITY_OPEN = ("not-started", "scheduled", "in-progress", "on-hold", "unknown", "")
_TASK_OPEN = ("draft", "requested", "received", "accepted", "ready", "in-progress", "on-hold")
_REQUEST_OPEN = ("active", "draft", "on-hold")
_NURSING_WORDS = ("nursing", "soins infirmiers", "soin infirmier")


def map_care_plan(res: dict, ctx: Context) -> list[CareTask]:
    """An active CarePlan -> one CareTask per activity still to do (ids plan~1, plan~2…)."""
    status = text(res, "status")
    if status not in _PLAN_OPEN:
        raise Ignored(f"plan de soins au statut « {status or '?'} » : seuls les plans actifs "
                      "sont importés")
    ipp = ctx.ipp(res)
    rid = text(res, "id")
    if not rid:
        raise Refused("id : identifiant du plan de soins absent")
    plan = _plan_name(res)
    period = obj(res, "period")
    start = optional_datetime(period, "start")
    end = optional_datetime(period, "end", end_of_day=True)
    tasks = []
    for number, activity in enumerate(objs(res, "activity"), start=1):
        detail = obj(activity, "detail")
        if not detail:
            # an activity by reference (ServiceRequest, Task…) is mapped from that resource
            continue
        state = text(detail, "status")
        if state not in _ACTIVITY_OPEN or detail.get("doNotPerform") is True:
            ctx.ignored[f"CarePlan : activité au statut « {state} » (terminée ou annulée)"] += 1
            continue
        label = concept_text(detail.get("code"), "activity.detail.code") or text(detail,
                                                                                 "description")
        if not label:
            raise Refused(f"activity[{number - 1}].detail : activité sans libellé")
        timing, when = _scheduled(detail, "scheduled", f"activity[{number - 1}].detail")
        notes = [text(detail, "description") if label != text(detail, "description") else "",
                 f"Plan : {plan}" if plan else ""]
        tasks.append(CareTask(id=f"{rid}~{number}", ipp=ipp, label=label, timing=timing,
                              start=when or start, end=end, comments=_join(notes)))
    if not tasks:
        raise Ignored("plan de soins sans activité à faire")
    return tasks


def map_task(res: dict, ctx: Context) -> CareTask:
    """A Task still to do -> CareTask (a single action: no schedule is invented)."""
    status = text(res, "status")
    if status not in _TASK_OPEN:
        raise Ignored(f"tâche au statut « {status or '?'} » : seules les tâches à faire sont "
                      "importées")
    ipp = ctx.ipp(res, "for")
    description = text(res, "description")
    label = concept_text(res.get("code"), "code") or description
    if not label:
        raise Refused("code / description : tâche sans libellé")
    execution = obj(res, "executionPeriod")
    restriction = obj(obj(res, "restriction"), "period")
    start = optional_datetime(execution, "start") or optional_datetime(res, "authoredOn")
    end = (optional_datetime(restriction, "end", end_of_day=True)
           or optional_datetime(execution, "end", end_of_day=True))
    notes = [description if description != label else ""] + [text(n, "text")
                                                              for n in objs(res, "note")]
    return CareTask(id=_rid(res), ipp=ipp, label=label, timing=Timing(kind="text",
                                                                       text=UNSCHEDULED),
                    start=start, end=end, comments=_join(notes))


def map_service_request(res: dict, ctx: Context) -> ImagingExam | CareTask | None:
    """An imaging request -> ImagingExam; a nursing one -> CareTask; others Ignored."""
    if is_imaging_request(res):
        return map_imaging_request(res, ctx)
    if not _is_nursing(res):
        cats = [concept_text(c, "category") for c in lst(res, "category")]
        shown = f"catégorie « {cats[0]} »" if cats and cats[0] else "sans catégorie"
        raise Ignored(f"demande ({shown}) ni d'imagerie ni de soins infirmiers")
    status = text(res, "status")
    if status not in _REQUEST_OPEN:
        raise Ignored(f"demande de soins au statut « {status or '?'} » : seules les demandes "
                      "actives sont importées")
    ipp = ctx.ipp(res)
    label = concept_text(res.get("code"), "code")
    if not label:
        raise Refused("code : soin demandé sans libellé")
    timing, when = _scheduled(res, "occurrence", "occurrence")
    if res.get("asNeededBoolean") is True or res.get("asNeededCodeableConcept") is not None:
        reason = concept_text(res.get("asNeededCodeableConcept"), "asNeededCodeableConcept")
        timing = Timing(kind="as_needed", text=reason or timing.text)
    period = obj(res, "occurrencePeriod")
    bounds = obj(obj(obj(res, "occurrenceTiming"), "repeat"), "boundsPeriod")
    end = (optional_datetime(period, "end", end_of_day=True)
           or optional_datetime(bounds, "end", end_of_day=True))
    notes = [text(res, "patientInstruction")] + [text(n, "text") for n in objs(res, "note")]
    return CareTask(id=_rid(res), ipp=ipp, label=label, timing=timing,
                    start=when or optional_datetime(res, "authoredOn"), end=end,
                    comments=_join(notes))


def _scheduled(res: dict, prefix: str, where: str):
    """(Timing, start) from ``<prefix>Timing``, ``<prefix>DateTime``, ``<prefix>Period`` or
    ``<prefix>String``; an unscheduled item keeps a text timing."""
    if res.get(prefix + "Timing") is not None:
        repeat = obj(obj(res, prefix + "Timing"), "repeat")
        bounds = obj(repeat, "boundsPeriod")
        timing = timing_of({"timing": res[prefix + "Timing"]}, "", "")
        if timing.kind == "text" and timing.text == "posologie non structurée":
            timing = Timing(kind="text", text="horaire non structuré")
        return timing, optional_datetime(bounds, "start")
    if res.get(prefix + "DateTime") not in (None, ""):
        return Timing(kind="once"), fhir_datetime(res[prefix + "DateTime"], f"{where}DateTime")
    period = obj(res, prefix + "Period")
    if period.get("start"):
        return (Timing(kind="text", text=UNSCHEDULED),
                fhir_datetime(period["start"], f"{where}Period.start"))
    return Timing(kind="text", text=text(res, prefix + "String") or UNSCHEDULED), None


def _is_nursing(res: dict) -> bool:
    for concept in lst(res, "category") + lst(res, "performerType"):
        for coding in codings(concept, "category"):
            if text(coding, "code") in NURSING_CATEGORY_CODES | NURSE_ROLE_CODES:
                return True
        words = concept_text(concept, "category").casefold()
        if any(w in words for w in _NURSING_WORDS):
            return True
    return False


def _plan_name(res: dict) -> str:
    """The plan's own name: its title, else its specific category (not « Care plan »)."""
    if text(res, "title"):
        return text(res, "title")
    for concept in lst(res, "category"):
        if any(text(c, "code") in GENERIC_CARE_PLAN_CODES for c in codings(concept, "category")):
            continue
        if concept_text(concept, "category"):
            return concept_text(concept, "category")
    return ""


def _rid(res: dict) -> str:
    rid = text(res, "id")
    if not rid:
        raise Refused(f"id : identifiant de la ressource {res.get('resourceType')} absent")
    return rid


def _join(parts: list[str]) -> str:
    return " ; ".join(p for p in parts if p)
