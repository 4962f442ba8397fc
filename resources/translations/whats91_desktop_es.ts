<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="es">
<context>
    <name />
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Light or dark colours. “Follow the system” switches with the desktop's own setting.</source>
        <translation>Colores claros u oscuros. «Seguir al sistema» cambia con el ajuste del escritorio.</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Apariencia</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Seguir al sistema</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>The language of menus and labels. “Follow the system” uses the desktop's language when a translation exists, English otherwise.</source>
        <translation>El idioma de menús y etiquetas. «Seguir al sistema» usa el idioma del escritorio si hay traducción; si no, inglés.</translation>
    </message>
    <message>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <source>Español</source>
        <translation>Español</translation>
    </message>
    <message>
        <source>Confirm the first production send</source>
        <translation>Confirmar el primer envío de producción</translation>
    </message>
    <message>
        <source>Ask before the first send of a session through a non-sandbox profile.</source>
        <translation>Preguntar antes del primer envío de la sesión con un perfil que no sea el sandbox.</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Envío</translation>
    </message>
    <message>
        <source>Status follow-up (minutes)</source>
        <translation>Seguimiento del estado (minutos)</translation>
    </message>
    <message>
        <source>Stop checking a message's delivery status this many minutes after sending.</source>
        <translation>Dejar de comprobar el estado de entrega de un mensaje tantos minutos después de enviarlo.</translation>
    </message>
    <message>
        <source>Default region</source>
        <translation>Región predeterminada</translation>
    </message>
    <message>
        <source>Country assumed for numbers typed without a country code, in the sandbox and in new profiles (each profile keeps its own under Manage profiles).</source>
        <translation>País supuesto para los números escritos sin prefijo internacional, en el sandbox y en los perfiles nuevos (cada perfil guarda el suyo en Gestionar perfiles).</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>Connect timeout (seconds)</source>
        <translation>Tiempo de conexión (segundos)</translation>
    </message>
    <message>
        <source>Seconds to wait for a connection, in the sandbox and in new profiles; the next client built uses it, a request in flight keeps its own.</source>
        <translation>Segundos de espera para conectar, en el sandbox y en los perfiles nuevos; lo usa el próximo cliente creado, una petición en curso conserva el suyo.</translation>
    </message>
    <message>
        <source>Read timeout (seconds)</source>
        <translation>Tiempo de respuesta (segundos)</translation>
    </message>
    <message>
        <source>Seconds to wait for the API's answer once connected, in the sandbox and in new profiles.</source>
        <translation>Segundos de espera para la respuesta de la API una vez conectado, en el sandbox y en los perfiles nuevos.</translation>
    </message>
    <message>
        <source>Bulk</source>
        <translation>Envío masivo</translation>
    </message>
    <message>
        <source>Search name, number or message</source>
        <translation>Buscar nombre, número o mensaje</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>Buscar conversaciones</translation>
    </message>
    <message>
        <source>Unread only</source>
        <translation>Solo no leídas</translation>
    </message>
    <message>
        <source>Conversation status</source>
        <translation>Estado de la conversación</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversaciones</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Mensajes</translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation>Webhooks</translation>
    </message>
    <message>
        <source>Buttons</source>
        <translation>Botones</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Media</source>
        <translation>Multimedia</translation>
    </message>
    <message>
        <source>Meta JSON</source>
        <translation>JSON de Meta</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Plantilla</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>Message type</source>
        <translation>Tipo de mensaje</translation>
    </message>
    <message>
        <source>A plain text message</source>
        <translation>Un mensaje de texto simple</translation>
    </message>
    <message>
        <source>An image, video, audio clip or document</source>
        <translation>Una imagen, un vídeo, un audio o un documento</translation>
    </message>
    <message>
        <source>Text with up to 3 quick-reply buttons</source>
        <translation>Texto con hasta 3 botones de respuesta rápida</translation>
    </message>
    <message>
        <source>Text with a button that opens a list of choices</source>
        <translation>Texto con un botón que abre una lista de opciones</translation>
    </message>
    <message>
        <source>An approved template (the only way to start a conversation)</source>
        <translation>Una plantilla aprobada (la única forma de iniciar una conversación)</translation>
    </message>
    <message>
        <source>Raw Meta Cloud API JSON, checked against Meta's schema</source>
        <translation>JSON de la API Cloud de Meta, comprobado con el esquema de Meta</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Enviar</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Send the composed message</source>
        <translation>Enviar el mensaje redactado</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;Para:</translation>
    </message>
    <message>
        <source>Type a message… (*bold*, _italic_, ~strike~; Ctrl+Enter sends)</source>
        <translation>Escribe un mensaje… (*negrita*, _cursiva_, ~tachado~; Ctrl+Intro envía)</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Responder</translation>
    </message>
    <message>
        <source>Write a reply… (Ctrl+Enter sends)</source>
        <translation>Escribe una respuesta… (Ctrl+Intro envía)</translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation>Enviar respuesta</translation>
    </message>
    <message>
        <source>Approved templates</source>
        <translation>Plantillas aprobadas</translation>
    </message>
    <message>
        <source>Load templates</source>
        <translation>Cargar plantillas</translation>
    </message>
    <message>
        <source>Send a template…</source>
        <translation>Enviar una plantilla…</translation>
    </message>
    <message>
        <source>Conversation thread</source>
        <translation>Hilo de la conversación</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Copiar texto</translation>
    </message>
    <message>
        <source>The diagnostic bundle could not be saved: %1</source>
        <translation>No se pudo guardar el paquete de diagnóstico: %1</translation>
    </message>
    <message>
        <source>Diagnostic bundle saved to %1 (%2 log rows, no tokens, no message text).</source>
        <translation>Paquete de diagnóstico guardado en %1 (%2 filas del registro, sin tokens ni texto de mensajes).</translation>
    </message>
    <message>
        <source>Save diagnostic bundle</source>
        <translation>Guardar paquete de diagnóstico</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Archivos zip (*.zip)</translation>
    </message>
    <message>
        <source>About Whats91 Desktop</source>
        <translation>Acerca de Whats91 Desktop</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Opening the message log…</source>
        <translation>Abriendo el registro de mensajes…</translation>
    </message>
    <message>
        <source>Search the message log</source>
        <translation>Buscar en el registro de mensajes</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>Close the window</source>
        <translation>Cerrar la ventana</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferencias…</translation>
    </message>
    <message>
        <source>Theme, language, timeouts and other settings of the app</source>
        <translation>Tema, idioma, tiempos de espera y otros ajustes de la aplicación</translation>
    </message>
    <message>
        <source>&amp;Profiles</source>
        <translation>P&amp;erfiles</translation>
    </message>
    <message>
        <source>&amp;Add profile…</source>
        <translation>&amp;Añadir perfil…</translation>
    </message>
    <message>
        <source>Add a Whats91 account: base URL, token and senders</source>
        <translation>Añadir una cuenta de Whats91: URL base, token y remitentes</translation>
    </message>
    <message>
        <source>&amp;Manage profiles…</source>
        <translation>&amp;Gestionar perfiles…</translation>
    </message>
    <message>
        <source>Edit, rename or delete profiles</source>
        <translation>Editar, renombrar o eliminar perfiles</translation>
    </message>
    <message>
        <source>&amp;Test token…</source>
        <translation>&amp;Probar token…</translation>
    </message>
    <message>
        <source>Ask the API whether this profile's token works for the chosen sender</source>
        <translation>Preguntar a la API si el token de este perfil sirve para el remitente elegido</translation>
    </message>
    <message>
        <source>Switch to &amp;sandbox</source>
        <translation>Cambiar al &amp;sandbox</translation>
    </message>
    <message>
        <source>The built-in emulator: nothing leaves this computer</source>
        <translation>El emulador integrado: nada sale de este equipo</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>&amp;Mensaje</translation>
    </message>
    <message>
        <source>&amp;Send	Ctrl+Enter</source>
        <translation>&amp;Enviar	Ctrl+Enter</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>Sandbox &amp;scenarios…</source>
        <translation>&amp;Escenarios del sandbox…</translation>
    </message>
    <message>
        <source>The recipient numbers that make the sandbox queue, fail, time out or rate-limit</source>
        <translation>Los números de destinatario que hacen que el sandbox encole, falle, agote el tiempo o limite</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>Atajos de &amp;teclado</translation>
    </message>
    <message>
        <source>Every key the window answers to</source>
        <translation>Todas las teclas a las que responde la ventana</translation>
    </message>
    <message>
        <source>Save &amp;diagnostic bundle…</source>
        <translation>Guardar paquete de &amp;diagnóstico…</translation>
    </message>
    <message>
        <source>A zip for support: versions, paths, the redacted log, no tokens, no message text</source>
        <translation>Un zip para soporte: versiones, rutas, el registro censurado, sin tokens ni texto de mensajes</translation>
    </message>
    <message>
        <source>&amp;About Whats91 Desktop</source>
        <translation>&amp;Acerca de Whats91 Desktop</translation>
    </message>
    <message>
        <source>Show the %1 room</source>
        <translation>Mostrar la sala %1</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Preferencias</translation>
    </message>
    <message>
        <source>Changes are saved and used as you make them.</source>
        <translation>Los cambios se guardan y se aplican en cuanto los haces.</translation>
    </message>
    <message>
        <source>&amp;Restore defaults</source>
        <translation>&amp;Restablecer valores predeterminados</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>Restablecer valores predeterminados</translation>
    </message>
    <message>
        <source>Put every preference back to its default value</source>
        <translation>Devolver cada preferencia a su valor predeterminado</translation>
    </message>
    <message>
        <source>(after a restart)</source>
        <translation>(tras reiniciar)</translation>
    </message>
    <message>
        <source>Takes effect after Whats91 Desktop is restarted: %1.</source>
        <translation>Se aplica al reiniciar Whats91 Desktop: %1.</translation>
    </message>
    <message>
        <source>&amp;Profile</source>
        <translation>&amp;Perfil</translation>
    </message>
    <message>
        <source>S&amp;ender</source>
        <translation>&amp;Remitente</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Atajo</translation>
    </message>
    <message>
        <source>Anywhere in the window</source>
        <translation>En toda la ventana</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <source>Tab and Shift+Tab move between fields; Alt with an underlined letter picks it.</source>
        <translation>Tab y Mayús+Tab pasan de un campo a otro; Alt con la letra subrayada lo elige.</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Teclas</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <source>Save the composed request</source>
        <translation>Guardar la petición redactada</translation>
    </message>
    <message>
        <source>Save the composed request as…</source>
        <translation>Guardar la petición redactada como…</translation>
    </message>
</context>
</TS>