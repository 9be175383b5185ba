"""The component registry: name → factory, with the document layers each component reads and writes.

In the spirit of spaCy's ``@Language.factory``: a factory (a class, or a function returning a
component) is registered under a name with what it ``requires`` (layers an earlier stage must
have set, e.g. ``doc.tokens``) and what it ``assigns`` (e.g. ``doc.convoys``). A component made by
a registered factory remembers its arguments as a :class:`ComponentSpec`, so that a pipeline can
be rebuilt exactly in another process (a worker, a Dask task) from
:class:`~extract.pipeline.PipelineConfig`. A user component::

    @register_component("shout", requires=("doc.convoys",), assigns=("doc.title",))
    class Shout:
        name = "shout"

        def __init__(self, mark: str = "!"):
            self.mark = mark

        def __call__(self, doc):
            doc.title = f"{len(doc.convoys)} convoy(s){self.mark}"
            return doc

    nlp.add(Shout(mark="!!"))        # or nlp.add("shout", config={"mark": "!!"})
"""

from __future__ import annotations

import copy
import functools
import importlib
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from .errors import PipelineError

_MADE = "_extract_made"  # attribute on a component: (factory name, its ComponentSpec or why it has none)
_PLAIN = (str, int, float, bool, type(None), PurePath)


@dataclass(frozen=True)
class ComponentSpec:
    """How to make one component again: its factory (a registered name, or a dotted path
    ``package.module:Class``), the arguments it was made with (plain data), and the module that
    registers it (None for the package's own)."""

    factory: str
    config: tuple[tuple[str, Any], ...] = ()
    module: str | None = None

    def __hash__(self) -> int:
        return hash((self.factory, _frozen(self.config), self.module))

    @property
    def arguments(self) -> dict[str, Any]:
        """The arguments as keywords."""
        return dict(self.config)


@dataclass(frozen=True)
class Factory:
    """A registered component factory and the layers its components read and write."""

    name: str
    make: Callable[..., Any]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    module: str


_FACTORIES: dict[str, Factory] = {}


def register_component(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()):
    """Decorator registering a component class or factory function under ``name``; ``requires``
    and ``assigns`` name document layers (``doc.tokens``, ``doc.actors``, …)."""

    def decorate(make: Callable[..., Any]) -> Callable[..., Any]:
        known = _FACTORIES.get(name)
        where = f"{make.__module__}:{make.__qualname__}"
        if known is not None and f"{known.module}:{known.make.__qualname__}" != where:
            raise PipelineError(f"component factory {name!r} is already registered by "
                                f"{known.module}:{known.make.__qualname__}; choose another name for {where}")
        recording = _recording_class(make, name) if isinstance(make, type) else _recording_function(make, name)
        _FACTORIES[name] = Factory(name, recording, tuple(requires), tuple(assigns), make.__module__)
        return recording

    return decorate


def _recording_class(cls: type, name: str) -> type:
    """``cls`` whose instances (not a subclass's) remember the arguments they were made with."""
    signature = inspect.signature(cls)
    init = cls.__init__  # type: ignore[misc]  # the class's own, wrapped below

    @functools.wraps(init)
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        if type(self) is cls:
            _remember(self, name, _spec(name, cls.__module__, signature, args, kwargs))

    cls.__init__ = __init__  # type: ignore[misc]
    return cls


def _recording_function(make: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``make`` whose components remember the arguments they were made with."""
    signature = inspect.signature(make)

    @functools.wraps(make)
    def build(*args: Any, **kwargs: Any) -> Any:
        component = make(*args, **kwargs)
        _remember(component, name, _spec(name, make.__module__, signature, args, kwargs))
        return component

    return build


def _spec(name: str, module: str, signature: inspect.Signature, args: tuple, kwargs: dict) -> ComponentSpec | str:
    """The spec of a call, or why it cannot be made again elsewhere (arguments that are not plain data)."""
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    if any(p.kind is p.VAR_POSITIONAL for p in signature.parameters.values()):
        return f"factory {name!r} takes *args, which a config cannot carry"
    arguments = dict(bound.arguments)
    for p in signature.parameters.values():
        if p.kind is p.VAR_KEYWORD:
            arguments.update(arguments.pop(p.name))
    for key, value in arguments.items():
        if not _is_plain(value):
            return (f"argument {key}={type(value).__name__}(…) of {name!r} is not plain data (str, number, "
                    "bool, path, or lists and dicts of them), so a worker cannot be given it")
    return ComponentSpec(name, tuple(copy.deepcopy(arguments).items()),
                         None if module.startswith("extract.") else module)


def _is_plain(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return isinstance(value, _PLAIN)


def _frozen(value: Any) -> Any:
    """Plain data made hashable (lists → tuples, dicts → sorted pairs)."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _remember(component: Any, factory: str, spec: ComponentSpec | str) -> None:
    try:
        setattr(component, _MADE, (factory, spec))
    except (AttributeError, TypeError):  # a slotted or built-in object: it will say so when asked
        pass


def spec_of(component: Any) -> ComponentSpec:
    """The spec that makes ``component`` again; a PipelineError says why when there is none."""
    _, spec = getattr(component, _MADE, (None, None))
    if isinstance(spec, ComponentSpec):
        return spec
    cls = type(component)
    name = getattr(component, "name", cls.__name__)
    if spec is None and "<locals>" not in cls.__qualname__ and _takes_no_arguments(cls):
        return ComponentSpec(f"{cls.__module__}:{cls.__qualname__}")
    reason = spec or (f"its class {cls.__qualname__} is defined inside a function" if "<locals>" in cls.__qualname__
                      else f"{cls.__qualname__} takes arguments the pipeline does not know")
    raise PipelineError(f"component {name!r} cannot be rebuilt in another process: {reason}. Register its "
                        "class with @extract.registry.register_component(name, requires=…, assigns=…) in an "
                        "importable module, or add it by name or dotted path: nlp.add('package.module:Class', "
                        "config={…})")


def _takes_no_arguments(cls: type) -> bool:
    try:
        return not inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return False


def factory_of(component: Any) -> Factory | None:
    """The registered factory that made ``component`` (None for an unregistered one)."""
    factory, _ = getattr(component, _MADE, (None, None))
    return _FACTORIES.get(factory) if factory else None


def get_factory(name: str) -> Factory:
    """The factory registered as ``name``."""
    if name not in _FACTORIES:
        raise PipelineError(f"no component factory {name!r}; registered: {', '.join(sorted(_FACTORIES))} "
                            "(or give a dotted path, package.module:Class)")
    return _FACTORIES[name]


def factory_names() -> list[str]:
    """The registered factory names, sorted."""
    return sorted(_FACTORIES)


def create(spec: ComponentSpec) -> Any:
    """Make the component ``spec`` describes (importing its module first, as in a fresh worker)."""
    if spec.module and spec.factory not in _FACTORIES:
        _import(spec.module, spec.factory)
    dotted = spec.factory not in _FACTORIES and ("." in spec.factory or ":" in spec.factory)
    make = _attribute(spec.factory) if dotted else get_factory(spec.factory).make
    component = make(**spec.arguments)
    if not hasattr(component, "name") or not callable(component):
        raise PipelineError(f"{spec.factory!r} made a {type(component).__name__}, not a component: a "
                            "component is a callable doc -> doc with a name attribute")
    if not hasattr(component, _MADE):
        _remember(component, spec.factory, spec)
    return component


def _attribute(path: str) -> Callable[..., Any]:
    """The object a dotted path ``package.module:Class`` (or ``package.module.Class``) names."""
    module, _, qualname = path.partition(":") if ":" in path else path.rpartition(".")
    target: Any = _import(module, path)
    for part in qualname.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise PipelineError(f"cannot find {qualname!r} in module {module!r} (component factory {path!r})") from None
    return target


def _import(module: str, factory: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise PipelineError(f"cannot import module {module!r} for component factory {factory!r}: {exc}") from exc
