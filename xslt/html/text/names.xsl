<?xml version="1.0" encoding="UTF-8"?>
<!--
  Names and links: persons, places, organisations (and rs/name) link to their entity page and
  carry aria-describedby to the page's popover for that entity; dates; ref/ptr.
  No URL reaches an href without f:safe-url; no nested links ($in-link tunnel parameter).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <!-- relative prefix from the current page to the site root ("../" for doc/ and entity/) -->
  <xsl:param name="root" as="xs:string" select="'../'"/>

  <xsl:function name="f:entity-href" as="xs:string?">
    <xsl:param name="entity" as="element(entity)?"/>
    <xsl:sequence select="f:entity-href($entity, $root)"/>
  </xsl:function>
  <!-- the same, from a page whose prefix to the site root is $prefix ('' on root-level pages) -->
  <xsl:function name="f:entity-href" as="xs:string?">
    <xsl:param name="entity" as="element(entity)?"/>
    <xsl:param name="prefix" as="xs:string"/>
    <xsl:sequence select="if ($entity/@page) then concat($prefix, $entity/@page) else ()"/>
  </xsl:function>

  <!-- the popover's id: from the entity's name in the context (entity/@anchor, unique without
       regard to case: Hotan-man and hotan-man are two popovers), never made again here -->
  <xsl:function name="f:popover-id" as="xs:string">
    <xsl:param name="entity" as="element(entity)"/>
    <xsl:sequence select="concat('pop-', $entity/@anchor)"/>
  </xsl:function>

  <!-- Entities a name element designates (every pointer of @ref / @key that resolves). -->
  <xsl:function name="f:entities-of" as="element(entity)*">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="for $p in tokenize(normalize-space(string(($e/@ref, $e/@key)[1])), ' ') return f:entity($p, $e)"/>
  </xsl:function>

  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:rs | tei:name | tei:geogName
                       | tei:settlement[@ref] | tei:country[@ref] | tei:region[@ref] | tei:bibl[@ref] | tei:title[@ref]"
                mode="m:text" priority="1">
    <xsl:param name="in-link" tunnel="yes" as="xs:boolean" select="false()"/>
    <!-- site pages pass their own prefix (site.xsl); document pages use the global $root -->
    <xsl:param name="page-root" tunnel="yes" as="xs:string?" select="()"/>
    <xsl:variable name="prefix" select="($page-root, $root)[1]"/>
    <xsl:variable name="ents" select="f:entities-of(.)"/>
    <xsl:variable name="ent" select="$ents[1]"/>
    <xsl:variable name="kind" select="($ent/@kind, if (@type = ('person', 'place', 'org')) then string(@type) else (), f:entity-kind(.))[1]"/>
    <xsl:variable name="in-page" select="if (empty($ent) and not($in-link) and empty($page-root) and exists(@ref | @key))
                                         then fp:in-page-target(., string((@ref, @key)[1])) else ()"/>
    <xsl:variable name="class" select="string-join(('entity', concat('entity-', $kind), concat('tei-', local-name()),
      if (exists(@ref | @key) and empty($ent)) then 'entity-unresolved' else ()), ' ')"/>
    <xsl:choose>
      <xsl:when test="exists($ent) and not($in-link) and exists(f:entity-href($ent, $prefix))">
        <a href="{f:entity-href($ent, $prefix)}" class="{$class}" data-entity="{$ent/@id}" aria-describedby="{f:popover-id($ent)}">
          <xsl:call-template name="fp:lang-attributes"/>
          <xsl:apply-templates mode="m:text">
            <xsl:with-param name="in-link" tunnel="yes" select="true()"/>
            <xsl:with-param name="inline" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
        </a>
      </xsl:when>
      <!-- no entity, but "#id" names an element of this document's text (an embedded listPlace,
           a note …): an in-page link, on the document's own page (site pages quoting the
           document pass $page-root and do not show that element) -->
      <xsl:when test="exists($in-page)">
        <a href="#{$in-page}" class="{replace($class, ' entity-unresolved', '')} entity-in-page">
          <xsl:call-template name="fp:lang-attributes"/>
          <xsl:apply-templates mode="m:text">
            <xsl:with-param name="in-link" tunnel="yes" select="true()"/>
            <xsl:with-param name="inline" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="{$class}">
          <xsl:call-template name="fp:lang-attributes"/>
          <xsl:if test="@ref and empty($ent)"><xsl:attribute name="data-ref" select="@ref"/></xsl:if>
          <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The xml:id a "#id" pointer names when an element of the same document's text has it and
       the page writes it as an HTML id (not a name, date, choice part … whose template keeps no
       id, nor anything in a part the page leaves out: the classes no-anchor and not-rendered of
       xslt/lib/tei-classes.xml); the id is a plain NCName, so the href needs no escaping. -->
  <xsl:key name="fp:text-id" match="tei:text//*[@xml:id]" use="string(@xml:id)"/>
  <xsl:function name="fp:in-page-target" as="xs:string?">
    <xsl:param name="from" as="element()"/>
    <xsl:param name="pointer" as="xs:string"/>
    <xsl:variable name="p" select="normalize-space(tokenize(normalize-space($pointer), ' ')[1])"/>
    <xsl:if test="starts-with($p, '#') and substring($p, 2) castable as xs:NCName and root($from) instance of document-node()">
      <xsl:variable name="target" select="key('fp:text-id', substring($p, 2), root($from))[1]"/>
      <xsl:if test="exists($target) and not(local-name($target) = $c:no-anchor)
                    and empty($target/ancestor-or-self::*[local-name() = $c:not-rendered])">
        <xsl:sequence select="f:html-id(string($target/@xml:id))"/>
      </xsl:if>
    </xsl:if>
  </xsl:function>

  <!-- a date prints its text; an empty one (<date notBefore="1937" notAfter="1940"/>) its label
       (f:date-element-label: "1937–1940", "after 1937") -->
  <xsl:template match="tei:date | tei:time" mode="m:text">
    <xsl:variable name="iso" select="(@when, @when-iso)[1]"/>
    <xsl:choose>
      <xsl:when test="not(normalize-space()) and not(*) and f:date-element-label(.) != ''">
        <xsl:element name="{if ($iso castable as xs:date or $iso castable as xs:gYearMonth or $iso castable as xs:gYear or $iso castable as xs:dateTime) then 'time' else 'span'}">
          <xsl:attribute name="class" select="concat('tei-', local-name(), ' date-label')"/>
          <xsl:if test="$iso castable as xs:date or $iso castable as xs:gYearMonth or $iso castable as xs:gYear or $iso castable as xs:dateTime">
            <xsl:attribute name="datetime" select="$iso"/>
          </xsl:if>
          <xsl:value-of select="f:date-element-label(.)"/>
        </xsl:element>
      </xsl:when>
      <xsl:when test="$iso castable as xs:date or $iso castable as xs:gYearMonth or $iso castable as xs:gYear or $iso castable as xs:dateTime">
        <time class="tei-{local-name()}" datetime="{$iso}"><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></time>
      </xsl:when>
      <xsl:otherwise>
        <span class="tei-{local-name()}">
          <!-- a range: its label as a tooltip (f:date-element-label: "17 April 1937 – 15 June 1937") -->
          <xsl:if test="@from or @to or @notBefore or @notAfter">
            <xsl:variable name="label" select="f:date-element-label(.)"/>
            <xsl:if test="$label != normalize-space(.)"><xsl:attribute name="title" select="$label"/></xsl:if>
          </xsl:if>
          <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Where a pointer leads on the site: a document page (+ fragment), an entity page, an id on
       this page, or an outside http(s)/mailto URL; () when it leads nowhere safe. -->
  <xsl:function name="f:link-target" as="xs:string?">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:param name="from" as="node()"/>
    <xsl:sequence select="f:link-target($pointer, $from, $root)"/>
  </xsl:function>
  <xsl:function name="f:link-target" as="xs:string?">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:param name="from" as="node()"/>
    <xsl:param name="prefix" as="xs:string"/>
    <xsl:variable name="p" select="normalize-space(tokenize(normalize-space($pointer), ' ')[1])"/>
    <xsl:variable name="file" select="if (contains($p, '#')) then substring-before($p, '#') else $p"/>
    <xsl:variable name="frag" select="substring-after($p, '#')"/>
    <xsl:variable name="ent" select="if ($frag != '') then f:entity($p, $from) else ()"/>
    <!-- f:resolve-uri: a target that is no valid URI resolves to nothing (the ref stays text) -->
    <xsl:variable name="resolved" select="if ($file != '' and exists($edition-context) and not(matches($file, '^[a-zA-Z][a-zA-Z0-9+.-]*:')))
      then f:resolve-uri($file, $from) else ()"/>
    <xsl:variable name="doc" select="if (exists($resolved))
      then key('fp:document-by-uri', replace($resolved, '^file:/+', 'file:///'), $edition-context)[1] else ()"/>
    <xsl:choose>
      <xsl:when test="$p = ''"/>
      <xsl:when test="exists($ent) and $ent/@page"><xsl:sequence select="f:entity-href($ent, $prefix)"/></xsl:when>
      <xsl:when test="exists($doc) and $doc/@page">
        <xsl:sequence select="concat($prefix, $doc/@page, if ($frag != '') then concat('#', encode-for-uri(f:html-id($frag))) else '')"/>
      </xsl:when>
      <!-- "#id": a link only when an element of this document's text has that xml:id and the
           page writes it (fp:in-page-target); else the pointer leads nowhere (text) -->
      <xsl:when test="$file = '' and $frag != ''">
        <xsl:variable name="in-page" select="if ($from instance of element()) then fp:in-page-target($from, $p) else ()"/>
        <xsl:if test="exists($in-page)"><xsl:sequence select="concat('#', $in-page)"/></xsl:if>
      </xsl:when>
      <xsl:when test="matches($p, '^(https?|mailto):', 'i')"><xsl:sequence select="f:safe-url($p)"/></xsl:when>
    </xsl:choose>
  </xsl:function>

  <xsl:template match="tei:ref | tei:ptr | tei:licence[@target]" mode="m:text">
    <xsl:param name="in-link" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:param name="page-root" tunnel="yes" as="xs:string?" select="()"/>
    <!-- an in-page target is on the document's own page, not on a site page quoting the text -->
    <xsl:variable name="href" select="f:link-target(@target, ., ($page-root, $root)[1])[not(exists($page-root) and starts-with(., '#'))]"/>
    <!-- a pointer without content (ptr, an empty ref) shows its target as its text -->
    <xsl:variable name="empty" select="self::tei:ptr or not(normalize-space(.) or *)"/>
    <xsl:choose>
      <xsl:when test="exists($href) and not($in-link)">
        <a href="{$href}" class="tei-{local-name()}">
          <xsl:if test="starts-with($href, 'http')"><xsl:attribute name="rel" select="'noopener noreferrer'"/></xsl:if>
          <xsl:choose>
            <xsl:when test="$empty"><xsl:value-of select="fp:target-label(@target)"/></xsl:when>
            <xsl:otherwise>
              <xsl:apply-templates mode="m:text"><xsl:with-param name="in-link" tunnel="yes" select="true()"/>
            <xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
            </xsl:otherwise>
          </xsl:choose>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="tei-{local-name()}{if (empty($href) and normalize-space(@target)) then ' ref-unresolved' else ''}">
          <xsl:choose>
            <xsl:when test="$empty"><xsl:value-of select="fp:target-label(@target)"/></xsl:when>
            <xsl:otherwise><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></xsl:otherwise>
          </xsl:choose>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the text shown for a pointer without content: its target(s), as text (never markup) -->
  <xsl:function name="fp:target-label" as="xs:string">
    <xsl:param name="target" as="attribute()?"/>
    <xsl:sequence select="normalize-space(replace(string($target), '[\p{Cc}]', ''))"/>
  </xsl:function>

  <!-- Popovers: one hidden tooltip per entity mentioned on the page. -->
  <xsl:template name="f:popovers">
    <xsl:param name="entities" as="element(entity)*"/>
    <xsl:param name="page-root" tunnel="yes" as="xs:string?" select="()"/>
    <xsl:if test="exists($entities)">
      <div class="popovers" data-pagefind-ignore="all">
        <xsl:for-each select="$entities">
          <div class="popover" role="tooltip" id="{f:popover-id(.)}" hidden="hidden">
            <span class="popover-name"><xsl:value-of select="name[@type = 'preferred'][1]"/></span>
            <!-- kind, dates and roles (the context's: toolkit/tei/entities.py) -->
            <span class="popover-kind"><xsl:value-of select="string-join((f:kind-label(@kind), dates[normalize-space()], role), ' · ')"/></span>
            <xsl:if test="name[@type = 'variant']">
              <span class="popover-variants"><xsl:value-of select="f:msg('popover.also')"/><xsl:text> </xsl:text><xsl:value-of select="string-join(name[@type = 'variant'], '; ')"/></span>
            </xsl:if>
            <xsl:if test="normalize-space(note)">
              <span class="popover-note"><xsl:value-of select="fp:first-sentences(note, 300)"/></span>
            </xsl:if>
            <!-- authority identifiers, as labelled links -->
            <xsl:variable name="ids" select="idno[f:safe-url(@href) and matches(@href, '^https?:')]"/>
            <xsl:if test="exists($ids)">
              <span class="popover-ids">
                <xsl:for-each select="$ids">
                  <xsl:if test="position() gt 1"><xsl:text> · </xsl:text></xsl:if>
                  <a href="{f:safe-url(@href)}" rel="noopener noreferrer" title="{.}"><xsl:value-of select="@label"/></a>
                </xsl:for-each>
              </span>
            </xsl:if>
            <xsl:if test="@page">
              <a class="popover-more" href="{f:entity-href(., ($page-root, $root)[1])}"><xsl:value-of select="f:msg('popover.more', map{'name': string(name[@type = 'preferred'][1])})"/></a>
            </xsl:if>
          </div>
        </xsl:for-each>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- The sentences of a text that fit in $max characters (at least the first), never cut
       within a sentence; "…" marks that more follows (the entity's page has it all). -->
  <xsl:function name="fp:first-sentences" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:variable name="t" select="normalize-space($s)"/>
    <xsl:variable name="sentences" select="tokenize(replace($t, '(\S\S[.!?…][”’&quot;»)]?)\s+(\p{Lu}|[“‘&quot;«(])', '$1&#xE000;$2'), '&#xE000;')"/>
    <!-- (a sentence ends after a word of two or more characters: "A. Vyshinsky" goes on) -->
    <!-- the lengths of the first 1, 2, 3 … sentences grow: those within $max are a prefix -->
    <xsl:variable name="lengths" select="for $i in 1 to count($sentences) return string-length(string-join(subsequence($sentences, 1, $i), ' '))"/>
    <xsl:variable name="n" select="max((1, count($lengths[. le $max])))"/>
    <xsl:sequence select="concat(string-join(subsequence($sentences, 1, $n), ' '), if ($n lt count($sentences)) then ' …' else '')"/>
  </xsl:function>

  <xsl:function name="f:kind-label" as="xs:string">
    <xsl:param name="kind" as="xs:string?"/>
    <xsl:sequence select="f:msg('kind.' || ($kind[. = ('person', 'place', 'org')], 'name')[1])"/>
  </xsl:function>

  <xsl:function name="f:shorten" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:variable name="t" select="normalize-space($s)"/>
    <xsl:sequence select="if (string-length($t) le $max) then $t
      else concat(replace(substring($t, 1, $max), '\s+\S*$', ''), ' …')"/>
  </xsl:function>
</xsl:stylesheet>
