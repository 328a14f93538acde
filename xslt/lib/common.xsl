<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared function library for every output (HTML, Typst/PDF).
  Public functions live in the f: namespace, private helpers in fp:.
  The toolkit passes one parameter to every stylesheet: $edition-context, the edition model as a
  small XML document (see toolkit/model.py, Edition.context_document):
    <edition title="…">
      <file href uri role><id value element/>…</file>…
      <document id href uri when title transcribed><date/><summary/></document>…
      <entity id kind href uri><name type="preferred|variant"/>…<note/><geo lat long/><mentioned doc count/>…</entity>…
      <mention ref element file-uri target-uri target-id/>…
    </edition>
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  exclude-result-prefixes="#all">

  <!-- the shared TEI rules (tei.xsl), with the element classes of tei-classes.xml as $c:… -->
  <xsl:import href="tei.xsl"/>
  <xsl:import href="registers.xsl"/>

  <xsl:param name="edition-context" as="document-node()?" select="()"/>

  <xsl:key name="fp:entity-by-id" match="entity" use="@id"/>
  <xsl:key name="fp:document-by-id" match="document" use="@id"/>
  <xsl:key name="fp:document-by-uri" match="document" use="@uri"/>

  <!-- The context <entity> a pointer designates, seen from the node that carries it.
       "persons.xml#x" resolves against the node's base URI; "#x" and bare "x" by id alone. -->
  <xsl:function name="f:entity" as="element(entity)?">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:param name="from" as="node()"/>
    <xsl:variable name="p" select="normalize-space(tokenize(normalize-space($pointer), ' ')[1])"/>
    <xsl:if test="exists($edition-context) and $p != ''">
      <xsl:variable name="id" select="if (contains($p, '#')) then substring-after($p, '#') else $p"/>
      <xsl:variable name="file" select="substring-before($p, '#')"/>
      <xsl:variable name="candidates" select="key('fp:entity-by-id', $id, $edition-context)"/>
      <xsl:choose>
        <!-- one candidate (or none): it is the answer whichever file the pointer names -->
        <xsl:when test="$file = '' or empty($candidates[2])">
          <xsl:sequence select="$candidates[1]"/>
        </xsl:when>
        <xsl:otherwise>
          <!-- the model writes file:///path, resolve-uri() gives file:/path: compare both as file:/ -->
          <xsl:variable name="resolved" select="f:resolve-uri($file, $from)"/>
          <xsl:variable name="target" select="if (exists($resolved)) then fp:file-uri($resolved) else ''"/>
          <xsl:sequence select="($candidates[$target != '' and fp:file-uri(@uri) = $target], $candidates)[1]"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:function>

  <!-- resolve-uri() on TEI data, never an error: a relative reference that is not a valid URI
       (braces, spaces, a leading no-break space …) or an unusable base gives () instead of
       FORG0002 / FORG0009, so a bad @target leaves a link out, never the whole build. -->
  <xsl:function name="f:resolve-uri" as="xs:string?">
    <xsl:param name="relative" as="xs:string?"/>
    <xsl:param name="from" as="node()"/>
    <xsl:if test="exists($relative) and not(matches($relative, '[\s\p{Z}\p{C}{}&lt;&gt;&quot;\\^`|]'))">
      <xsl:try>
        <xsl:variable name="base" select="base-uri($from)"/>
        <xsl:sequence select="if (exists($base)) then string(resolve-uri($relative, string($base))) else ()"/>
        <xsl:catch select="()"/>
      </xsl:try>
    </xsl:if>
  </xsl:function>

  <xsl:function name="fp:file-uri" as="xs:string">
    <xsl:param name="uri" as="xs:string?"/>
    <xsl:sequence select="replace(string($uri), '^file:/+', 'file:/')"/>
  </xsl:function>

  <xsl:function name="f:preferred-name" as="xs:string?">
    <xsl:param name="entity" as="element(entity)?"/>
    <xsl:sequence select="$entity/name[@type = 'preferred'][1]/string()"/>
  </xsl:function>

  <!-- The context <document> for a TEI document node (by root xml:id, then by URI). -->
  <xsl:function name="f:document" as="element(document)?">
    <xsl:param name="tei" as="node()"/>
    <xsl:variable name="root" select="root($tei)/*"/>
    <xsl:sequence select="if (exists($edition-context))
                          then (key('fp:document-by-id', string($root/@xml:id), $edition-context),
                                key('fp:document-by-uri', string(base-uri($root)), $edition-context))[1]
                          else ()"/>
  </xsl:function>

  <!-- A stable, URL- and id-safe token from any string (for file names and anchors). -->
  <xsl:function name="f:slug" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:choose>
      <!-- already a slug (the usual case: xml:ids): itself -->
      <xsl:when test="matches($s, '^[a-z0-9._]([a-z0-9._-]*[a-z0-9._])?$')"><xsl:sequence select="string($s)"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="t" select="lower-case(replace(normalize-unicode(string($s), 'NFKD'), '\p{Mn}', ''))"/>
        <xsl:variable name="t2" select="replace(replace($t, '[^a-z0-9._-]+', '-'), '^-+|-+$', '')"/>
        <xsl:sequence select="if ($t2 = '') then 'x' else $t2"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- Only http(s), mailto and relative URLs survive; javascript:, data:, vbscript: etc. do not. -->
  <xsl:function name="f:safe-url" as="xs:string?">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:variable name="u" select="normalize-space(replace(string($url), '[\p{Cc}]', ''))"/>
    <xsl:choose>
      <xsl:when test="$u = ''"/>
      <xsl:when test="matches($u, '^(https?|mailto):', 'i')"><xsl:sequence select="$u"/></xsl:when>
      <xsl:when test="matches($u, '^[a-zA-Z][a-zA-Z0-9+.-]*:')"/>
      <xsl:otherwise><xsl:sequence select="$u"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- Element kind of a name element's entity, for labels and CSS classes. -->
  <xsl:function name="f:entity-kind" as="xs:string">
    <xsl:param name="name-element" as="element()"/>
    <xsl:sequence select="(map{'persName':'person','placeName':'place','orgName':'org'}
                          (local-name($name-element)), 'name')[1]"/>
  </xsl:function>
</xsl:stylesheet>
