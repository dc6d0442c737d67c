"""amqtt plugins that make a broker behave as its mocks say: who may connect, which topics a user may use,
and what happens when a client publishes or subscribes. amqtt loads plugins by dotted name with a small
config; ours carry only the port, and look the port's live state up in `STATES`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from amqtt.contexts import Action
from amqtt.plugins.base import BaseAuthPlugin, BasePlugin, BaseTopicPlugin

if TYPE_CHECKING:
    from amqtt.session import Session

# port -> the state of the broker listening there (a mockd.protocols.mqtt.broker.BrokerState; named
# structurally, as that module imports this one).
STATES: dict[int, Any] = {}


@dataclass
class PortConfig:
    port: int = 0


class MockdAuth(BaseAuthPlugin):
    Config = PortConfig

    async def authenticate(self, *, session: Session) -> bool | None:
        state = STATES.get(self.context.config.port)  # type: ignore[union-attr]
        return True if state is None else state.authenticate(session.username, session.password)


class MockdTopics(BaseTopicPlugin):
    Config = PortConfig

    async def topic_filtering(
        self, *, session: Session | None = None, topic: str | None = None, action: Action | None = None
    ) -> bool | None:
        state = STATES.get(self.context.config.port)  # type: ignore[union-attr]
        if state is None or session is None or topic is None or action == Action.RECEIVE:
            return True
        return state.permits(
            session.username, topic, "subscribe" if action == Action.SUBSCRIBE else "publish"
        )


class MockdEvents(BasePlugin[Any]):
    Config = PortConfig

    async def on_broker_message_received(self, *, client_id: str, message: Any) -> None:
        state = STATES.get(self.context.config.port)
        if state is not None and message is not None:
            await state.received(client_id, message)

    async def on_broker_client_subscribed(self, *, client_id: str, topic: str, qos: int) -> None:
        state = STATES.get(self.context.config.port)
        if state is not None:
            state.subscribed(client_id, topic, qos)
